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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The JDK HTTP server with exact-path routing. Unknown path → 404, wrong method → 405 (with Allow),
 * {@link ApiException} → its status and JSON body, anything else → 500 without killing the node.
 */
public final class HttpApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);
    /** Largest accepted request body. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /**
     * Threads that read requests. The JDK server reads a request's line and headers with blocking reads on
     * these, so each slow client holds one until {@link #MAX_REQUEST_SECONDS} cuts it off: more threads
     * than the work permits, so a few dozen slow clients do not shut everyone else out.
     */
    static final int READER_THREADS = 64;
    /** Requests parsed and answered at once (a 1 MiB body can become a large JSON tree and answer). */
    static final int WORK_PERMITS = 16;
    private static final long PERMIT_WAIT_SECONDS = 30;
    /** Header bytes (names plus values) a request may carry; more → 431. */
    public static final int MAX_HEADER_BYTES = 32 * 1024;
    /** Seconds a client may take to send one whole request (line, headers, body) before it is cut off. */
    public static final String MAX_REQUEST_SECONDS = "10";
    /** Seconds a client may take to read one whole answer before it is cut off. */
    public static final String MAX_RESPONSE_SECONDS = "60";

    static {
        // The JDK server reads a request on a worker thread with blocking reads and, by default, waits
        // forever: 16 clients trickling bytes (slowloris) would hold every worker and the node would stop
        // answering. These JVM-wide settings make its timer close a connection whose request (or answer)
        // takes too long. They are read once, when the first server is created; -D on the command line
        // (e.g. JAVA_TOOL_OPTIONS=-Dsun.net.httpserver.maxReqTime=30) wins.
        setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
        // Header bytes the JDK server buffers before it drops the connection (JDK 17.0.x default: 384 KiB).
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", String.valueOf(2 * MAX_HEADER_BYTES));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

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
    private final Semaphore work = new Semaphore(WORK_PERMITS);

    public HttpApiServer(String bindAddress, int port, String nodeName) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 128);
        executor = Executors.newFixedThreadPool(READER_THREADS, r -> {
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
            checkHeaders(exchange);
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
            ApiRequest request = new ApiRequest(exchange, MAX_BODY_BYTES);
            request.body(); // read it now, outside the work permits: a slow sender only holds a reader thread
            response = handleWithPermit(handler, request);
        } catch (ApiException e) {
            response = ApiResponse.json(e.status(), e.body());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Request {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            response = ApiResponse.json(500, Json.object().put("success", false).put("error", "internal error: " + e));
        }
        send(exchange, response);
    }

    /** Parses and answers with one of {@value #WORK_PERMITS} permits, so memory-heavy work stays bounded. */
    private ApiResponse handleWithPermit(Handler handler, ApiRequest request) throws ApiException, IOException {
        try {
            if (!work.tryAcquire(PERMIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new ApiException(503, "node is busy; retry later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "node is stopping");
        }
        try {
            return handler.handle(request);
        } finally {
            work.release();
        }
    }

    /**
     * The JDK server accepts header lines without a colon or with control characters; a request with
     * such a line is malformed (RFC 9110 field names are tokens, values have no CTLs but tab): 400.
     */
    private static void checkHeaders(HttpExchange exchange) throws ApiException {
        long bytes = 0;
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            for (String value : h.getValue()) {
                bytes += h.getKey().length() + (value == null ? 0 : value.length()) + 4;
            }
        }
        if (bytes > MAX_HEADER_BYTES) {
            throw new ApiException(431, "request headers are " + bytes + " bytes; the limit is " + MAX_HEADER_BYTES);
        }
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            String name = h.getKey();
            if (name == null || name.isEmpty() || !name.chars().allMatch(HttpApiServer::isTokenChar)) {
                throw new ApiException(400, "malformed header line (field name is not a token)");
            }
            for (String value : h.getValue()) {
                if (value != null && value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                    throw new ApiException(400, "header " + name + " holds a control character");
                }
            }
        }
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static void send(HttpExchange exchange, ApiResponse response) {
        try {
            drainRequestBody(exchange);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            boolean noBody = response.body().length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (!noBody) {
                    out.write(response.body());
                }
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
