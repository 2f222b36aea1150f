package com.diotec360.lattice.local.runtime;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A stand-in for the reference node in runtime tests: listens where {@code DIOTEC360_HTTP_PORT} says
 * and answers {@code GET /health} with 200; exits with 1 when that port cannot be bound, as the real
 * node does.
 */
public final class FakeNodeMain {

  private FakeNodeMain() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(System.getenv("DIOTEC360_HTTP_PORT"));
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
      server.createContext("/health", exchange -> {
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      server.start();
    } catch (IOException e) {
      System.err.println("cannot listen on 127.0.0.1:" + port + ": " + e);
      System.exit(1);
    }
  }
}
