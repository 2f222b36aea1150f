package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A member of a lattice that the operator does not run: a node outside the cluster (a hosted
 * Space, a server, a member another cluster's operator runs). It is probed, judged and counted
 * like the members the operator runs; the operator never writes to it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.tls) || self.url.startsWith('https://')",
    message = "tls applies to an https url only: use an https:// url or remove tls")
public class ExternalMember {

  /** An http(s) base URL: scheme, host, optional port and path, no spaces. */
  public static final String URL = "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\\s]*)?$";

  @Required
  @Pattern(LatticeNodeSpec.DNS_1035_LABEL)
  @Size(max = 57)
  @JsonPropertyDescription(
      "The member's name in the lattice, a DNS-1035 label, e.g. 'node1-huggingface'. It must not be"
          + " the name of a LatticeNode of the same lattice.")
  private String name;

  @Required
  @Pattern(URL)
  @Size(max = 2048)
  @JsonPropertyDescription(
      "The node's HTTP base URL, http or https, e.g. 'https://diotec360-node1.hf.space'. In-cluster"
          + " members get it in their peer list.")
  private String url;

  @Required
  @Pattern(LatticeNodeSpec.DNS_1035_LABEL)
  @Size(max = 63)
  @JsonPropertyDescription("The node's role in the lattice, e.g. 'genesis-public'.")
  private String role;

  @Pattern(LatticeNodeSpec.DNS_1123_SUBDOMAIN)
  @Size(max = 253)
  @JsonPropertyDescription(
      "Optional name of a Secret in the Lattice's namespace whose keys are HTTP header names and"
          + " whose values are sent with every probe of this member (e.g. key 'Authorization' for a"
          + " private hosted Space). The values are never logged, shown or put in Events.")
  private String headersSecret;

  @JsonPropertyDescription("Optional TLS settings for an https url.")
  private ExternalMemberTls tls;

  public ExternalMember() {}

  public ExternalMember(String name, String url, String role) {
    this.name = name;
    this.url = url;
    this.role = role;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public String getHeadersSecret() {
    return headersSecret;
  }

  public void setHeadersSecret(String headersSecret) {
    this.headersSecret = headersSecret;
  }

  public ExternalMemberTls getTls() {
    return tls;
  }

  public void setTls(ExternalMemberTls tls) {
    this.tls = tls;
  }
}
