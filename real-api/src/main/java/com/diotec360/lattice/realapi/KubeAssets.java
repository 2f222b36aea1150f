package com.diotec360.lattice.realapi;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Where the control-plane binaries are, found the way users expect:
 *
 * <ol>
 *   <li>{@code KUBEBUILDER_ASSETS}: envtest's convention, a folder holding {@code kube-apiserver}
 *       and {@code etcd} (what {@code setup-envtest use -p path} prints);
 *   <li>{@code LATTICE_KUBE_ASSETS}: such a folder, or a kube-assets tarball ({@code .tar.xz});
 *   <li>the project's tarball in {@code ../shared/kube-assets/} (beside the checkout).
 * </ol>
 *
 * A tarball is unpacked once into a cache folder ({@code $XDG_CACHE_HOME} or {@code ~/.cache},
 * under {@code lattice-operator/kube-assets}) and used from there by every later run.
 * {@code kube-controller-manager} is optional: envtest's download has none, and only tests that
 * need garbage collection or the Deployment controller ask for it.
 */
public record KubeAssets(Path apiServer, Path etcd, Optional<Path> controllerManager, String origin) {

  public static final String KUBEBUILDER_ASSETS = "KUBEBUILDER_ASSETS";
  public static final String LATTICE_KUBE_ASSETS = "LATTICE_KUBE_ASSETS";

  /** One line that says how to get the binaries; tests that cannot run print it when they skip. */
  public static final String HOW_TO_GET_THEM =
      "no kube-apiserver and etcd found: set " + KUBEBUILDER_ASSETS + " to a folder holding them"
          + " (envtest's 'setup-envtest use 1.36 -p path' prints one), or " + LATTICE_KUBE_ASSETS
          + " to such a folder or to a kube-assets .tar.xz, or put the kube-assets tarball in"
          + " ../shared/kube-assets/ beside the checkout";

  private static final Set<String> BINARIES = Set.of("kube-apiserver", "etcd", "kube-controller-manager");

  /** The binaries this machine has, from the environment and the working directory. */
  public static Optional<KubeAssets> find() {
    return find(System.getenv(), Path.of("").toAbsolutePath(), cacheRoot(System.getenv()));
  }

  static Optional<KubeAssets> find(Map<String, String> env, Path workingDir, Path cache) {
    String envtest = env.get(KUBEBUILDER_ASSETS);
    if (envtest != null && !envtest.isBlank()) {
      return Optional.of(inFolder(Path.of(envtest), KUBEBUILDER_ASSETS + "=" + envtest));
    }
    String own = env.get(LATTICE_KUBE_ASSETS);
    if (own != null && !own.isBlank()) {
      Path path = Path.of(own);
      return Optional.of(
          Files.isDirectory(path)
              ? inFolder(path, LATTICE_KUBE_ASSETS + "=" + own)
              : unpacked(path, cache, LATTICE_KUBE_ASSETS + "=" + own));
    }
    return sharedTarball(workingDir).map(tarball -> unpacked(tarball, cache, tarball.toString()));
  }

  /**
   * A folder that must hold {@code kube-apiserver} and {@code etcd}; a folder that was named but
   * lacks them is a mistake to report, not a reason to skip.
   */
  static KubeAssets inFolder(Path folder, String origin) {
    Path apiServer = folder.resolve("kube-apiserver");
    Path etcd = folder.resolve("etcd");
    for (Path binary : new Path[] {apiServer, etcd}) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            origin + " has no executable " + binary.getFileName() + " (looked for " + binary
                + "); point it at a folder holding kube-apiserver and etcd");
      }
    }
    Path manager = folder.resolve("kube-controller-manager");
    return new KubeAssets(
        apiServer, etcd, Files.isExecutable(manager) ? Optional.of(manager) : Optional.empty(), origin);
  }

  /** The first {@code shared/kube-assets/*.tar.xz} found beside the working directory or above it. */
  static Optional<Path> sharedTarball(Path workingDir) {
    for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
      Path folder = dir.resolve("shared").resolve("kube-assets");
      if (Files.isDirectory(folder)) {
        try (DirectoryStream<Path> tarballs = Files.newDirectoryStream(folder, "*.tar.xz")) {
          for (Path tarball : tarballs) {
            return Optional.of(tarball);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return Optional.empty();
  }

  /** The tarball's binaries in the cache, unpacked on first use (into a temporary folder, then moved). */
  static KubeAssets unpacked(Path tarball, Path cache, String origin) {
    if (!Files.isRegularFile(tarball)) {
      throw new IllegalStateException(origin + ": no such file or folder");
    }
    try {
      String name = tarball.getFileName().toString().replaceFirst("\\.tar\\.xz$", "");
      Path target = cache.resolve(name + "-" + Files.size(tarball));
      if (!Files.isDirectory(target)) {
        Files.createDirectories(cache);
        Path partial = Files.createTempDirectory(cache, name + ".partial-");
        unpack(tarball, partial);
        try {
          Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException e) {
          deleteTree(partial); // another JVM won the race: use its copy
        } catch (IOException e) {
          if (!Files.isDirectory(target)) {
            throw e;
          }
          deleteTree(partial);
        }
      }
      return inFolder(target, origin + " (unpacked in " + target + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + tarball + ": " + e.getMessage(), e);
    }
  }

  /** Every binary of the tarball, whatever folder it sits in there, flat into {@code into}. */
  private static void unpack(Path tarball, Path into) throws IOException {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball));
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String base = Path.of(entry.getName()).getFileName().toString();
        if (entry.isFile() && (BINARIES.contains(base) || base.equals("VERSIONS"))) {
          Path out = into.resolve(base);
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
          out.toFile().setExecutable(!base.equals("VERSIONS"), false);
        }
      }
    }
  }

  static Path cacheRoot(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("lattice-operator").resolve("kube-assets");
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover temporary folder is harmless
    }
  }
}
