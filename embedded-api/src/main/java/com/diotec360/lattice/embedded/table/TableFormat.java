package com.diotec360.lattice.embedded.table;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a GET's {@code Accept} header asks for, as kube-apiserver negotiates it: the first
 * acceptable entry wins; {@code application/json;as=Table;v=v1;g=meta.k8s.io} (or v1beta1) is a
 * Table, a plain JSON entry is the object itself. kubectl get sends
 * {@code application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json}.
 */
public record TableFormat(Kind kind, String version) {

  public enum Kind { PLAIN, TABLE, NOT_ACCEPTABLE }

  private static final TableFormat PLAIN = new TableFormat(Kind.PLAIN, "");

  public static TableFormat negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return PLAIN;
    }
    boolean askedForTransform = false;
    for (String entry : accept.split(",")) {
      String[] parts = entry.split(";");
      String media = parts[0].trim().toLowerCase(Locale.ROOT);
      Map<String, String> params = new HashMap<>();
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split("=", 2);
        params.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
      }
      if (!media.equals("application/json") && !media.equals("*/*") && !media.equals("application/*")) {
        continue;
      }
      String as = params.get("as");
      if (as == null) {
        return PLAIN;
      }
      askedForTransform = true;
      String version = params.getOrDefault("v", "");
      if (as.equals("Table") && "meta.k8s.io".equals(params.get("g"))
          && (version.equals("v1") || version.equals("v1beta1"))) {
        return new TableFormat(Kind.TABLE, version);
      }
    }
    return askedForTransform ? new TableFormat(Kind.NOT_ACCEPTABLE, "") : PLAIN;
  }

  public boolean isTable() {
    return kind == Kind.TABLE;
  }

  /** The Content-Type of a Table answer, as the real server sets it. */
  public String contentType() {
    return "application/json;as=Table;v=" + version + ";g=meta.k8s.io";
  }
}
