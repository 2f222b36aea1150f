package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A plain environment variable for the node container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExtraEnvVar {

  public static final String ENV_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";

  @Required
  @Pattern(ENV_NAME)
  @ValidationRule(
      value = "!self.startsWith('DIOTEC360_')",
      message = "DIOTEC360_* variables are set from the spec's own fields (sync, role, ...); use those")
  @JsonPropertyDescription("Variable name, e.g. 'JAVA_TOOL_OPTIONS'. Must not start with DIOTEC360_.")
  private String name;

  @JsonPropertyDescription("Variable value. Not for secrets: use secretEnv.")
  private String value;

  public ExtraEnvVar() {}

  public ExtraEnvVar(String name, String value) {
    this.name = name;
    this.value = value;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }
}
