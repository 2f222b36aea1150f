package com.diotec360.lattice.realapi;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 side of {@link RealApiTest}: one {@link RealApiServer} per test JVM (two, when some
 * classes ask for controllers), started on first use and stopped when the JVM's tests end; a
 * namespace per test method ({@link RealApi} parameter), or per class for a
 * {@code @BeforeAll} parameter.
 */
public final class RealApiExtension implements ExecutionCondition, ParameterResolver {

  /** Set (to anything) where the real-API tests must run: a missing binary fails instead of skipping. */
  public static final String REQUIRE = "LATTICE_REQUIRE_REAL_API";

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(RealApiExtension.class);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static volatile boolean toldWhySkipped;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (assets(context).isPresent() || System.getenv(REQUIRE) != null) {
      return ConditionEvaluationResult.enabled("real API binaries found");
    }
    if (!toldWhySkipped) {
      toldWhySkipped = true;
      System.err.println("WARNING: real-API tests skipped: " + KubeAssets.HOW_TO_GET_THEM);
    }
    return ConditionEvaluationResult.disabled("real-API test skipped: " + KubeAssets.HOW_TO_GET_THEM);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealApi.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // One namespace per test method, or per class when asked for in @BeforeAll / a constructor.
    return context.getStore(STORE).getOrComputeIfAbsent("api", k -> {
      RealApiServer server = server(context);
      String namespace = newNamespace(context);
      server.ensureNamespace(namespace);
      return new RealApi(server, namespace);
    }, RealApi.class);
  }

  private static Optional<KubeAssets> assets(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    Optional<KubeAssets> found = context.getRoot().getStore(STORE)
        .getOrComputeIfAbsent("assets", k -> KubeAssets.find(), Optional.class);
    return found;
  }

  private static RealApiServer server(ExtensionContext context) {
    RealApiTest settings = settings(context);
    KubeAssets assets = assets(context).orElseThrow(() -> new IllegalStateException(
        REQUIRE + " is set, but " + KubeAssets.HOW_TO_GET_THEM));
    Shared shared = context.getRoot().getStore(STORE).getOrComputeIfAbsent(
        "server-" + settings.controllers(),
        k -> new Shared(RealApiServer.start(assets, settings.controllers(), Path.of("target", "real-api"))),
        Shared.class);
    shared.install(settings.crds());
    return shared.server;
  }

  private static RealApiTest settings(ExtensionContext context) {
    return context.getTestClass()
        .flatMap(c -> AnnotationSupport.findAnnotation(c, RealApiTest.class))
        .orElseThrow(() -> new IllegalStateException("RealApiExtension needs @RealApiTest on the test class"));
  }

  private static String newNamespace(ExtensionContext context) {
    String base = context.getTestClass().map(Class::getSimpleName).orElse("test")
        + context.getTestMethod().map(m -> "-" + m.getName()).orElse("");
    String name = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    name = name.substring(0, Math.min(name.length(), 50)).replaceAll("-+$", "");
    return name + "-" + NAMESPACES.incrementAndGet();
  }

  /** A server shared by the JVM's tests, closed by JUnit when they end (AutoCloseable). */
  private static final class Shared implements AutoCloseable {
    private final RealApiServer server;
    private final Set<String> installed = new HashSet<>();

    Shared(RealApiServer server) {
      this.server = server;
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "real-api-stop"));
    }

    synchronized void install(String[] resources) {
      List<CustomResourceDefinition> crds = new ArrayList<>();
      for (String resource : resources) {
        if (installed.add(resource)) {
          crds.add(load(resource));
        }
      }
      if (!crds.isEmpty()) {
        server.installCrds(crds);
      }
    }

    private static CustomResourceDefinition load(String resource) {
      String path = resource.startsWith("/") ? resource.substring(1) : resource;
      try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("no CRD at classpath:" + path);
        }
        return Serialization.unmarshal(in, CustomResourceDefinition.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
