package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** How the operator trusts an external member's https endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalMemberTls {

  /** The key of the CA Secret that holds the PEM certificates. */
  public static final String CA_KEY = "ca.crt";

  @Required
  @Pattern(LatticeNodeSpec.DNS_1123_SUBDOMAIN)
  @Size(max = 253)
  @JsonPropertyDescription(
      "Name of a Secret in the Lattice's namespace with key 'ca.crt': the PEM certificate(s) to"
          + " trust for this member instead of the system's CAs (a self-signed or private CA).")
  private String caSecret;

  public ExternalMemberTls() {}

  public ExternalMemberTls(String caSecret) {
    this.caSecret = caSecret;
  }

  public String getCaSecret() {
    return caSecret;
  }

  public void setCaSecret(String caSecret) {
    this.caSecret = caSecret;
  }
}
