package com.diotec360.lattice.realapi.conformance;

import java.util.LinkedHashMap;
import java.util.Map;

/** Takes out of an observation what differs between any two servers by nature: uids, times, cluster IPs. */
final class Normalize {

  private Normalize() {}

  static Map<String, String> values(Map<String, String> observed) {
    Map<String, String> out = new LinkedHashMap<>();
    observed.forEach((key, value) -> out.put(key, value(key, value)));
    return out;
  }

  private static String value(String key, String value) {
    String v = value
        .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uid>")
        .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "<time>");
    if (key.matches(".*\\.clusterIPs?(\\[\\d+])?") && v.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
      v = "<ip>";
    }
    return v;
  }
}
