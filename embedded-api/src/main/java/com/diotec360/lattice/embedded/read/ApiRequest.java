package com.diotec360.lattice.embedded.read;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String group = "";
    String version = "";
    List<String> rest = List.of();
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      version = parts.get(1);
      rest = parts.subList(2, parts.size());
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      rest = parts.subList(3, parts.size());
    }
    String namespace = "";
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    return new ApiRequest(group, version, namespace, at(rest, 0), at(rest, 1), at(rest, 2), rawPath, query);
  }

  private static String at(List<String> parts, int index) {
    return parts.size() > index ? parts.get(index) : "";
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
