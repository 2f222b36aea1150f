package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An environment variable filled from a key of a Kubernetes Secret (never a literal value). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretEnvVar {

  @Required
  @Pattern(ExtraEnvVar.ENV_NAME)
  @JsonPropertyDescription("Variable name in the node container, e.g. 'DIOTEC360_API_KEY'.")
  private String name;

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = 253)
  @JsonPropertyDescription("Name of a Secret in the node's namespace.")
  private String secretName;

  @Required
  @Pattern("^[-._a-zA-Z0-9]+$")
  @Size(max = 253)
  @JsonPropertyDescription("Key inside the Secret whose value the variable takes.")
  private String key;

  public SecretEnvVar() {}

  public SecretEnvVar(String name, String secretName, String key) {
    this.name = name;
    this.secretName = secretName;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
