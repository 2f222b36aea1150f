package com.diotec360.lattice.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {

  private final Path home = Path.of("/repo");

  @Test
  void defaults() throws Exception {
    Options o = Options.parse(new String[0], home);
    assertThat(o.manifest()).isEmpty();
    assertThat(o.apply()).isTrue();
    assertThat(o.apiPort()).isEqualTo(Options.DEFAULT_API_PORT);
    assertThat(o.workDir()).isEqualTo(Path.of("/repo/.local-lattice"));
    assertThat(o.nodeJar()).isEqualTo(Path.of("/repo/node-image/target/lattice-node.jar"));
  }

  @Test
  void manifestAsArgumentOrFlag() throws Exception {
    assertThat(Options.parse(new String[] {"examples/triangle.yaml"}, home).manifest())
        .contains(Path.of("examples/triangle.yaml"));
    assertThat(Options.parse(new String[] {"-f", "x.yaml", "--api-port", "0"}, home).apiPort()).isZero();
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--bogus"}, home)).hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> Options.parse(new String[] {"--api-port", "x"}, home)).hasMessageContaining("whole number");
    assertThatThrownBy(() -> Options.parse(new String[] {"--api-port"}, home)).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> Options.parse(new String[] {"--no-apply", "a.yaml"}, home)).hasMessageContaining("contradict");
  }
}
