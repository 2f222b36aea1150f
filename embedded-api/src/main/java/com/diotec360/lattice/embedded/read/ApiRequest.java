package com.diotec360.lattice.embedded.read;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import com.diotec360.lattice.embedded.ResourcePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GET's path taken apart (group, version, namespace, plural, name) with its query parameters
 * decoded. {@code plural} is empty for paths that name no resource (discovery, /version).
 */
record ApiRequest(String group, String version, String namespace, String plural, String name, String subresource,
    String rawPath, Map<String, String> query) {

  static ApiRequest parse(String rawPath) {
    int q = rawPath.indexOf('?');
    String path = q < 0 ? rawPath : rawPath.substring(0, q);
    Map<String, String> query = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : rawPath.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        String[] kv = pair.split("=", 2);
        query.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    ResourcePath p = ResourcePath.parse(path);
    return new ApiRequest(p.group(), p.version(), p.namespace(), p.plural(), p.name(), p.subresource(), rawPath, query);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  boolean isList() {
    return !plural.isEmpty() && name.isEmpty();
  }

  String param(String key) {
    return query.get(key);
  }

  boolean flag(String key) {
    String value = query.get(key);
    return value != null && (value.equals("true") || value.equals("1"));
  }

  /** The raw path without the given query parameters (what the mock store is asked with). */
  String without(String... keys) {
    int q = rawPath.indexOf('?');
    if (q < 0) {
      return rawPath;
    }
    List<String> drop = List.of(keys);
    List<String> kept = new ArrayList<>();
    for (String pair : rawPath.substring(q + 1).split("&")) {
      if (!pair.isEmpty() && !drop.contains(decode(pair.split("=", 2)[0]))) {
        kept.add(pair);
      }
    }
    return kept.isEmpty() ? rawPath.substring(0, q) : rawPath.substring(0, q) + "?" + String.join("&", kept);
  }
}
