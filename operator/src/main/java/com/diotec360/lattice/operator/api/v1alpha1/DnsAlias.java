package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** One in-cluster DNS alias: CNAME-style (name to host) or A-style (name to IPv4 addresses). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.type == 'CNAME' ? (has(self.target) && (!has(self.addresses) || size(self.addresses) == 0))"
            + " : (has(self.addresses) && size(self.addresses) > 0 && !has(self.target))",
    message =
        "a CNAME alias needs 'target' and no 'addresses'; an A alias needs 'addresses' and no 'target'")
public class DnsAlias {

  /** An IPv4 address in dotted-quad form, each octet 0-255. */
  public static final String IPV4 =
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$";

  @Required
  @Pattern(LatticeNodeSpec.DNS_1035_LABEL)
  @Size(max = 63)
  @JsonPropertyDescription(
      "Alias name, a DNS-1035 label (e.g. 'api'). It names a Service, so it must not collide with"
          + " another node's Service or alias in the namespace.")
  private String name;

  @Required
  @JsonPropertyDescription("CNAME: the alias points at 'target'. A: the alias resolves to 'addresses'.")
  private AliasType type;

  @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.?$")
  @Size(max = 253)
  @JsonPropertyDescription(
      "CNAME only: the host the alias points to, e.g. 'diotec360-node1.hf.space'.")
  private String target;

  @Size(max = 16)
  @JsonPropertyDescription("A only: the IPv4 addresses the alias resolves to, e.g. '203.0.113.10'.")
  private List<@Pattern(IPV4) String> addresses = new ArrayList<>();

  @Min(1)
  @Max(86400)
  @Default("60")
  @JsonPropertyDescription(
      "TTL in seconds for the record when ExternalDNS publishes it"
          + " (external-dns.alpha.kubernetes.io/ttl). Default 60.")
  private Integer ttlSeconds;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public AliasType getType() {
    return type;
  }

  public void setType(AliasType type) {
    this.type = type;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public List<String> getAddresses() {
    return addresses;
  }

  public void setAddresses(List<String> addresses) {
    this.addresses = addresses;
  }

  public Integer getTtlSeconds() {
    return ttlSeconds;
  }

  public void setTtlSeconds(Integer ttlSeconds) {
    this.ttlSeconds = ttlSeconds;
  }
}
