package com.diotec360.lattice.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** The node's persistent volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {

  public static final String DEFAULT_SIZE = "1Gi";

  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
  @Default("1Gi")
  @JsonPropertyDescription(
      "Size of the ReadWriteOnce PersistentVolumeClaim holding the state, vault and sentinel"
          + " directories, e.g. '1Gi'. Growing it needs a StorageClass that allows expansion.")
  private String size;

  @JsonPropertyDescription(
      "StorageClass of the claim. Empty: the cluster's default StorageClass. Immutable once the"
          + " claim exists.")
  private String storageClassName;

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
}
