package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** The node's persistent volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.storageClassName) == has(oldSelf.storageClassName)",
    message =
        "storageClassName is immutable (a claim cannot change its StorageClass): it cannot be set"
            + " or removed once the node exists; delete the node and create it again")
public class StorageSpec {

  public static final String DEFAULT_SIZE = "1Gi";

  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
  @Default("1Gi")
  @JsonPropertyDescription(
      "Size of the ReadWriteOnce PersistentVolumeClaim holding the state, vault and sentinel"
          + " directories, e.g. '1Gi'. Growing it needs a StorageClass that allows expansion.")
  private String size;

  @ValidationRule(
      value = "self == oldSelf",
      message =
          "storageClassName is immutable (a claim cannot change its StorageClass): delete the node"
              + " and create it again, or keep the old class")
  @JsonPropertyDescription(
      "StorageClass of the claim. Empty: the cluster's default StorageClass. Immutable once the"
          + " claim exists.")
  private String storageClassName;

  @JsonPropertyDescription(
      "true: deleting the LatticeNode leaves its state claim (the claim has no owner reference);"
          + " a new LatticeNode of the same name in this namespace takes it over. false or absent:"
          + " the claim is deleted with the node.")
  private Boolean retainOnDelete;

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }

  public Boolean getRetainOnDelete() {
    return retainOnDelete;
  }

  public void setRetainOnDelete(Boolean retainOnDelete) {
    this.retainOnDelete = retainOnDelete;
  }
}
