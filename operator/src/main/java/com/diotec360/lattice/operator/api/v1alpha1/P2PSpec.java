package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** P2P gossip settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class P2PSpec {

  public static final int DEFAULT_PORT = 9000;

  @Default("true")
  @JsonPropertyDescription(
      "Whether the node runs P2P gossip (DIOTEC360_P2P_ENABLED). With false the node syncs by"
          + " HTTP polling only, as the original production deployment did.")
  private Boolean enabled;

  @Min(1)
  @Max(65535)
  @Default("9000")
  @ValidationRule(value = "self != 8000", message = "p2p.port must differ from the HTTP port 8000")
  @JsonPropertyDescription("TCP port of the P2P listener (1-65535, not 8000). Default 9000.")
  private Integer port;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }
}
