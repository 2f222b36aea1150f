package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU and memory of the node container: Kubernetes' container resources without {@code claims}.
 * Claims name dynamic resources the pod must declare in {@code spec.resourceClaims}, which the
 * operator's pods never do, so a claim could only make the pod invalid.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class NodeResources {

  @JsonPropertyDescription(
      "Most the node container may use, by resource name, e.g. {memory: 512Mi}. Exceeding the"
          + " memory limit restarts the node.")
  private Map<String, Quantity> limits;

  @JsonPropertyDescription(
      "What the scheduler reserves for the node container, by resource name, e.g. {cpu: 100m,"
          + " memory: 256Mi}.")
  private Map<String, Quantity> requests;

  public NodeResources() {}

  public NodeResources(Map<String, Quantity> requests, Map<String, Quantity> limits) {
    this.requests = requests == null ? null : new LinkedHashMap<>(requests);
    this.limits = limits == null ? null : new LinkedHashMap<>(limits);
  }

  public Map<String, Quantity> getLimits() {
    return limits;
  }

  public void setLimits(Map<String, Quantity> limits) {
    this.limits = limits;
  }

  public Map<String, Quantity> getRequests() {
    return requests;
  }

  public void setRequests(Map<String, Quantity> requests) {
    this.requests = requests;
  }

  /** As the container's resources. */
  public ResourceRequirements toRequirements() {
    return new ResourceRequirementsBuilder().withLimits(limits).withRequests(requests).build();
  }
}
