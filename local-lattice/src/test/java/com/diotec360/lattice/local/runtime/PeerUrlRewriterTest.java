package com.diotec360.lattice.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.diotec360.lattice.local.runtime.PeerUrlRewriter.ServiceRef;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerUrlRewriterTest {

  private final Map<ServiceRef, String> running =
      Map.of(
          new ServiceRef("default", "node1"), "http://127.0.0.1:40001",
          new ServiceRef("lab", "node2"), "http://127.0.0.1:40002");
  private final PeerUrlRewriter rewriter =
      new PeerUrlRewriter("default", ref -> Optional.ofNullable(running.get(ref)));

  @Test
  void serviceUrlsBecomeLoopbackUrls() {
    assertThat(rewriter.rewrite("http://node1.default.svc:8000")).contains("http://127.0.0.1:40001");
    assertThat(rewriter.rewrite("http://node2.lab.svc.cluster.local:8000")).contains("http://127.0.0.1:40002");
    assertThat(rewriter.rewrite("http://node1:8000")).contains("http://127.0.0.1:40001");
  }

  @Test
  void externalUrlsStayAndUnservedServicesAreLeftOut() {
    assertThat(rewriter.rewrite("https://api.diotec360.com")).contains("https://api.diotec360.com");
    assertThat(rewriter.rewrite("http://10.0.0.7:8000")).contains("http://10.0.0.7:8000");
    assertThat(rewriter.rewrite("http://node9.default.svc:8000")).isEmpty();
  }

  @Test
  void rewritesTheFileAndTheCommaList() {
    assertThat(rewriter.rewriteLines("http://node1.default.svc:8000\n# comment\nhttp://node9.default.svc:8000\nhttps://x.example.com\n"))
        .isEqualTo("http://127.0.0.1:40001\nhttps://x.example.com\n");
    assertThat(rewriter.rewriteLines("")).isEmpty();
    assertThat(rewriter.rewriteCommaList("http://node1.default.svc:8000,http://node2.lab.svc:8000"))
        .isEqualTo("http://127.0.0.1:40001,http://127.0.0.1:40002");
  }
}
