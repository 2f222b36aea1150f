package com.diotec360.lattice.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One incoming call: query parameters, a size-limited body, JSON parsing with clear errors. */
public final class ApiRequest {
    private final HttpExchange exchange;
    private final int maxBodyBytes;
    private final Map<String, String> query = new HashMap<>();
    private byte[] body;

    ApiRequest(HttpExchange exchange, int maxBodyBytes) throws ApiException {
        this.exchange = exchange;
        this.maxBodyBytes = maxBodyBytes;
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    query.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8),
                            URLDecoder.decode(value, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) { // e.g. "%zz" or a lone "%": the client's fault, not ours
                    throw new ApiException(400, "query string is not valid percent-encoding: " + e.getMessage());
                }
            }
        }
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    /**
     * Reads the body; 413 when it is larger than the limit, 400 when the client's framing breaks (the
     * connection ends before Content-Length bytes, bad chunk sizes): that is the client's fault, not a 500.
     */
    public byte[] body() throws ApiException {
        if (body == null) {
            body = readBody();
        }
        return body;
    }

    private byte[] readBody() throws ApiException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBodyBytes) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw new ApiException(400, "Content-Length header is not a number");
            }
        }
        byte[] bytes;
        // Not try-with-resources: OpenJDK 17.0.21's chunked stream throws the same IOException again
        // from close(), and adding an exception to itself as suppressed is an IllegalArgumentException
        // (a 500 for a bad chunk size).
        InputStream in = exchange.getRequestBody();
        try {
            bytes = in.readNBytes(maxBodyBytes + 1);
        } catch (IOException e) {
            throw new ApiException(400, "request body could not be read: " + e.getMessage());
        } finally {
            closeQuietly(in);
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge();
        }
        return bytes;
    }

    /** Parses the body as a JSON object; 400 saying what is wrong otherwise. */
    public JsonNode jsonObject() throws ApiException {
        byte[] body = body();
        if (body.length == 0) {
            throw new ApiException(400, "request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            if (!(e instanceof JsonProcessingException jpe)) {
                throw new ApiException(400, "malformed JSON: " + e.getMessage());
            }
            var where = jpe.getLocation();
            throw new ApiException(400, "malformed JSON: " + jpe.getOriginalMessage()
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "request body must be a JSON object");
        }
        return node;
    }

    private ApiException tooLarge() {
        return new ApiException(413, "request body is larger than the limit of " + maxBodyBytes + " bytes");
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException alreadyReported) {
            // the read failed or the client went away; the answer says so already
        }
    }
}
