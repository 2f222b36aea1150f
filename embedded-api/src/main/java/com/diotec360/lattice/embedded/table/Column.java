package com.diotec360.lattice.embedded.table;

/**
 * One column of a {@code meta.k8s.io/v1} Table: what kube-apiserver puts in {@code columnDefinitions}.
 * kubectl shows columns with {@code priority > 0} only with {@code -o wide}.
 */
public record Column(String name, String type, String format, String description, int priority) {

  static final String NAME_DESCRIPTION =
      "Name must be unique within a namespace. Is required when creating resources, although some resources"
          + " may allow a client to request the generation of an appropriate name automatically. Name is primarily"
          + " intended for creation idempotence and configuration definition. Cannot be updated. More info:"
          + " https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
  static final String CREATION_DESCRIPTION =
      "CreationTimestamp is a timestamp representing the server time when this object was created. It is not"
          + " guaranteed to be set in happens-before order across separate operations. Clients may not set this"
          + " value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null"
          + " for lists. More info:"
          + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

  static Column nameColumn() {
    return new Column("Name", "string", "name", NAME_DESCRIPTION, 0);
  }

  /** The Age column of the built-in printers: a string the server renders ("5m"). */
  static Column ageColumn() {
    return new Column("Age", "string", "", CREATION_DESCRIPTION, 0);
  }

  static Column string(String name, String description) {
    return new Column(name, "string", "", description, 0);
  }

  static Column wide(String name, String description) {
    return new Column(name, "string", "", description, 1);
  }
}
