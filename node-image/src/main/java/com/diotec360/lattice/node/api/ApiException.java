package com.diotec360.lattice.node.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A client-visible error: HTTP status plus a JSON body whose "error" says what is wrong. */
public final class ApiException extends Exception {
    private final int status;
    private final ObjectNode body;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
        this.body = Json.object().put("success", false).put("error", message);
    }

    public int status() {
        return status;
    }

    /** The JSON body; callers may add fields (e.g. the valid modes). */
    public ObjectNode body() {
        return body;
    }
}
