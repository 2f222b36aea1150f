package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** DNS entries of a node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DnsSpec {

  public static final int DEFAULT_TTL_SECONDS = 60;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b.name == a.name))",
      message = "alias names must be unique within the node")
  @JsonPropertyDescription(
      "In-cluster DNS aliases. A CNAME alias becomes a Service of type ExternalName named after"
          + " the alias; an A alias becomes a headless Service without selector plus an"
          + " EndpointSlice holding the given IPv4 addresses. Each resolves as"
          + " <name>.<namespace>.svc.")
  private List<DnsAlias> aliases = new ArrayList<>();

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(h, self.exists_one(g, g == h))",
      message = "hostnames must be unique")
  @JsonPropertyDescription(
      "Public DNS names of this node, published by ExternalDNS through the"
          + " external-dns.alpha.kubernetes.io/hostname annotation on the node's Service.")
  private List<
          @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]([-a-z0-9]*[a-z0-9])?\\.?$") @Size(max = 253) String>
      hostnames = new ArrayList<>();

  @Min(1)
  @Max(86400)
  @Default("60")
  @JsonPropertyDescription(
      "TTL in seconds of the public hostnames (external-dns.alpha.kubernetes.io/ttl). Default 60.")
  private Integer ttlSeconds;

  public List<DnsAlias> getAliases() {
    return aliases;
  }

  public void setAliases(List<DnsAlias> aliases) {
    this.aliases = aliases;
  }

  public List<String> getHostnames() {
    return hostnames;
  }

  public void setHostnames(List<String> hostnames) {
    this.hostnames = hostnames;
  }

  public Integer getTtlSeconds() {
    return ttlSeconds;
  }

  public void setTtlSeconds(Integer ttlSeconds) {
    this.ttlSeconds = ttlSeconds;
  }
}
