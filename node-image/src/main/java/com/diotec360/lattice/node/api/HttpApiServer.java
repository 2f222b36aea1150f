package com.diotec360.lattice.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK HTTP server with exact-path routing. Unknown path → 404, wrong method → 405 (with Allow),
 * {@link ApiException} → its status and JSON body, anything else → 500 without killing the node.
 */
public final class HttpApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);
    /** Largest accepted request body. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** A route handler. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request) throws ApiException, IOException;
    }

    /** What a handler answers: status, content type and bytes. */
    public record ApiResponse(int status, String contentType, byte[] body) {
        public static ApiResponse json(int status, JsonNode node) {
            try {
                return new ApiResponse(status, "application/json", Json.MAPPER.writeValueAsBytes(node));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public static ApiResponse ok(JsonNode node) {
            return json(200, node);
        }
    }

    private final Map<String, Map<String, Handler>> routes = new LinkedHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;

    public HttpApiServer(String bindAddress, int port, String nodeName) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 128);
        executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "http-" + nodeName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
    }

    public HttpApiServer route(String method, String path, Handler handler) {
        routes.computeIfAbsent(path, p -> new TreeMap<>()).put(method, handler);
        return this;
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void dispatch(HttpExchange exchange) {
        ApiResponse response;
        try {
            String path = exchange.getRequestURI().getPath();
            Map<String, Handler> byMethod = routes.get(path.length() > 1 && path.endsWith("/")
                    ? path.substring(0, path.length() - 1) : path);
            if (byMethod == null) {
                throw new ApiException(404, "no such path: " + path);
            }
            Handler handler = byMethod.get(exchange.getRequestMethod());
            if (handler == null) {
                exchange.getResponseHeaders().set("Allow", String.join(", ", byMethod.keySet()));
                throw new ApiException(405, "method " + exchange.getRequestMethod() + " is not allowed on " + path
                        + "; use " + String.join(" or ", byMethod.keySet()));
            }
            response = handler.handle(new ApiRequest(exchange, MAX_BODY_BYTES));
        } catch (ApiException e) {
            response = ApiResponse.json(e.status(), e.body());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Request {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            response = ApiResponse.json(500, Json.object().put("success", false).put("error", "internal error: " + e));
        }
        send(exchange, response);
    }

    private static void send(HttpExchange exchange, ApiResponse response) {
        try {
            drainRequestBody(exchange);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (IOException e) {
            LOG.debug("Could not send response: {}", e.toString());
        } finally {
            exchange.close();
        }
    }

    /** Reads what the client still sends (bounded), so it sees our answer instead of a reset. */
    private static void drainRequestBody(HttpExchange exchange) {
        byte[] buffer = new byte[64 * 1024];
        long left = 32L * 1024 * 1024;
        try (var in = exchange.getRequestBody()) {
            int n;
            while (left > 0 && (n = in.read(buffer)) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            LOG.debug("Could not drain request body: {}", e.toString());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
