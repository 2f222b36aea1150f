package com.diotec360.lattice.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's answer to {@code POST /api/lattice/tree}: per asked prefix, its hash and either the
 * hashes of its 16 children (inner prefixes) or the ids of the entries under it (leaf prefixes).
 * The wire format is the node contract's (docs/node-contract.md); {@link #request} and
 * {@link #parse} are its only encoder and decoder, used by the operator's node client and by
 * {@code kubectl lattice diff} alike.
 *
 * @param nodes one per asked prefix, in the order asked
 * @param bytes the size of the answer's body, for the cost of a comparison
 */
public record TreeAnswer(List<TreeNode> nodes, long bytes) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One trie node; exactly one of {@code children} and {@code ids} is non-null. */
  public record TreeNode(String prefix, String hash, List<String> children, List<String> ids) {}

  /** The request body asking for these prefixes: {@code {"prefixes":[...]}}. */
  public static byte[] request(List<String> prefixes) {
    ObjectNode body = JSON.createObjectNode();
    prefixes.forEach(body.putArray("prefixes")::add);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a tree request", e);
    }
  }

  /** Reads an answer body; throws when it is not the node contract's JSON. */
  public static TreeAnswer parse(byte[] body) throws IOException {
    JsonNode nodes = JSON.readTree(body).path("nodes");
    if (!nodes.isArray()) {
      throw new IOException("the tree answer has no \"nodes\" array");
    }
    List<TreeNode> out = new ArrayList<>(nodes.size());
    for (JsonNode n : nodes) {
      out.add(new TreeNode(
          n.path("prefix").asText(), n.path("hash").asText(), strings(n.get("children")), strings(n.get("ids"))));
    }
    return new TreeAnswer(out, body.length);
  }

  private static List<String> strings(JsonNode array) {
    if (array == null || !array.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>(array.size());
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
