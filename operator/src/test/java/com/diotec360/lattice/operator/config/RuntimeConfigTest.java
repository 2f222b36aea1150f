package com.diotec360.lattice.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

  @Test
  void defaultsAreTextAtInfoWithoutLeaderElection() {
    RuntimeConfig config = RuntimeConfig.defaults();

    assertThat(config.logLevel()).isEqualTo("INFO");
    assertThat(config.logFormat()).isEqualTo("text");
    assertThat(config.leaderElection()).isEmpty();
  }

  @Test
  void leaderElectionTakesItsIdentityFromThePodName() {
    RuntimeConfig config = RuntimeConfig.fromEnv(Map.of(
        "LATTICE_LEADER_ELECTION", "true",
        "POD_NAME", "lattice-operator-7d9f-abcde",
        "HOSTNAME", "ignored",
        "POD_NAMESPACE", "lattice-system"));

    assertThat(config.leaderElection()).contains(new RuntimeConfig.LeaderElection(
        "lattice-operator", Optional.of("lattice-system"), "lattice-operator-7d9f-abcde"));
  }

  @Test
  void reportsEveryProblemOnItsOwnLine() {
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(Map.of(
            "LATTICE_LOG_LEVEL", "LOUD",
            "LATTICE_LOG_FORMAT", "xml",
            "LATTICE_LEADER_ELECTION", "yes")))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
            .containsExactly(
                "LATTICE_LOG_LEVEL: 'LOUD' is not a log level; use one of DEBUG, ERROR, INFO, TRACE, WARN",
                "LATTICE_LOG_FORMAT: 'xml' is not a log format; use one of json, text",
                "LATTICE_LEADER_ELECTION: 'yes' is not a boolean; use true or false"));
  }

  @Test
  void leaderElectionWithoutAnIdentityIsAProblem() {
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(Map.of("LATTICE_LEADER_ELECTION", "true")))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
            .singleElement().asString().startsWith("POD_NAME:"));
  }
}
