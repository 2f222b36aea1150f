package com.diotec360.lattice.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeAssetsTest {

  @TempDir Path tmp;

  @Test
  void envtestsFolderComesFirst() throws IOException {
    Path folder = binaries(tmp.resolve("envtest"), "kube-apiserver", "etcd");
    KubeAssets found = KubeAssets.find(
        Map.of(KubeAssets.KUBEBUILDER_ASSETS, folder.toString(), KubeAssets.LATTICE_KUBE_ASSETS, "/nowhere"),
        tmp, tmp.resolve("cache")).orElseThrow();
    assertThat(found.apiServer()).isEqualTo(folder.resolve("kube-apiserver"));
    assertThat(found.controllerManager()).as("envtest ships no controller-manager").isEmpty();
  }

  @Test
  void aNamedFolderWithoutTheBinariesIsAMistakeNotASkip() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> KubeAssets.find(Map.of(KubeAssets.LATTICE_KUBE_ASSETS, empty.toString()), tmp, tmp))
        .hasMessageContaining("has no executable kube-apiserver")
        .hasMessageContaining(KubeAssets.LATTICE_KUBE_ASSETS);
  }

  @Test
  void nothingFoundMeansEmpty() {
    assertThat(KubeAssets.find(Map.of(), tmp, tmp.resolve("cache"))).isEmpty();
    assertThat(KubeAssets.HOW_TO_GET_THEM).contains("KUBEBUILDER_ASSETS", "LATTICE_KUBE_ASSETS", "shared/kube-assets");
  }

  @Test
  void theSharedTarballIsFoundAboveTheWorkingDirectory() throws IOException {
    Path tarball = Files.createDirectories(tmp.resolve("shared/kube-assets")).resolve("kube-assets-x.tar.xz");
    Files.writeString(tarball, "");
    Path module = Files.createDirectories(tmp.resolve("main/operator"));
    assertThat(KubeAssets.sharedTarball(module)).contains(tarball);
  }

  private static Path binaries(Path folder, String... names) throws IOException {
    Files.createDirectories(folder);
    for (String name : names) {
      Path file = Files.writeString(folder.resolve(name), "#!/bin/sh\n");
      file.toFile().setExecutable(true);
    }
    return folder;
  }
}
