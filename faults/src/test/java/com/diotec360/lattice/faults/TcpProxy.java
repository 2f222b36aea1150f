package com.diotec360.lattice.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of the API server (embedded or real), so a test can cut one client (the operator)
 * off while its own client keeps talking to the API directly; or in front of one port of a node
 * process, on an address of its own ({@link #TcpProxy(InetAddress, int, int)}), so a test can cut
 * the links between two groups of nodes.
 *
 * <ul>
 *   <li>{@link #refuse()}: the listening port is closed (connects get ECONNREFUSED at once) and
 *       every open connection is reset (RST), as when the API server's host goes away;
 *   <li>{@link #stall()}: connections are accepted but nothing is forwarded either way, and open
 *       ones stop forwarding too: a black hole, as a partition looks to TCP;
 *   <li>{@link #heal(boolean)}: new connections are forwarded again. The connections a stall caught
 *       are reset (the far end gave up on them meanwhile and answers the next packet with RST), or,
 *       with {@code false}, stay black holes for good (a NAT or load balancer that forgot them and
 *       drops their packets silently): then only the client itself can notice they are dead.
 * </ul>
 */
final class TcpProxy implements AutoCloseable {

  private final InetAddress loopback = InetAddress.getLoopbackAddress();
  private final InetAddress listenAddress;
  private final int target;
  private final int port;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private volatile ServerSocket listener;
  private volatile boolean stalled;
  private volatile boolean closed;

  /** One proxied connection: the client's socket and ours to the target. */
  private final class Link {
    final Socket client;
    volatile Socket upstream;
    /** Set when a stall caught it: never forwards again. */
    volatile boolean dead;

    Link(Socket client) {
      this.client = client;
    }

    void reset() {
      resetQuietly(client);
      resetQuietly(upstream);
      links.remove(this);
    }
  }

  TcpProxy(int targetPort) throws IOException {
    this(InetAddress.getLoopbackAddress(), 0, targetPort);
  }

  /**
   * Listens on {@code listenAddress:listenPort} (0: any free port) and forwards to {@code
   * 127.0.0.1:targetPort}. Any 127.x.y.z address works on Linux, so a node on 127.0.0.1 can be
   * given a second address with the same port numbers (a P2P peer is dialed at its HTTP URL's
   * host and the port it reports).
   */
  TcpProxy(InetAddress listenAddress, int listenPort, int targetPort) throws IOException {
    this.listenAddress = listenAddress;
    this.target = targetPort;
    this.listener = bind(listenPort);
    this.port = listener.getLocalPort();
    startAccepting(listener);
  }

  int port() {
    return port;
  }

  String url() {
    return "http://" + listenAddress.getHostAddress() + ":" + port;
  }

  /** The URL of a TLS server behind the proxy (the proxy forwards bytes; TLS is end to end). */
  String httpsUrl() {
    return "https://" + listenAddress.getHostAddress() + ":" + port;
  }

  /** Connections accepted so far. */
  long accepted() {
    return accepted.get();
  }

  /** Open connections (forwarding or stalled). */
  int open() {
    return links.size();
  }

  synchronized void refuse() {
    stalled = false;
    closeQuietly(listener);
    listener = null;
    links.forEach(Link::reset);
  }

  synchronized void stall() {
    stalled = true;
    links.forEach(l -> l.dead = true);
  }

  synchronized void heal() throws IOException {
    heal(true);
  }

  synchronized void heal(boolean resetStalled) throws IOException {
    stalled = false;
    if (resetStalled) {
      links.stream().filter(l -> l.dead).forEach(Link::reset);
    }
    if (listener == null) {
      listener = bind(port);
      startAccepting(listener);
    }
  }

  private ServerSocket bind(int at) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(listenAddress, at), 128);
    return socket;
  }

  private void startAccepting(ServerSocket socket) {
    Thread accept = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          Socket client = socket.accept();
          accepted.incrementAndGet();
          Link link = new Link(client);
          links.add(link);
          if (stalled) {
            link.dead = true;
            drain(link, client);
            continue;
          }
          Socket upstream = new Socket(loopback, target);
          upstream.setTcpNoDelay(true);
          client.setTcpNoDelay(true);
          link.upstream = upstream;
          pump(link, client, upstream, "up");
          pump(link, upstream, client, "down");
        } catch (IOException e) {
          // listener closed (refuse/close) or the target is gone: nothing to forward
        }
      }
    }, "proxy-accept-" + port);
    accept.setDaemon(true);
    accept.start();
  }

  /** Copies from → to until either side ends or the link dies (then it only swallows bytes). */
  private void pump(Link link, Socket from, Socket to, String direction) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (!link.dead) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
        if (!link.dead) {
          to.shutdownOutput();
        }
      } catch (IOException e) {
        if (!link.dead) {
          link.reset();
        }
      }
    }, "proxy-" + direction + "-" + port);
    t.setDaemon(true);
    t.start();
  }

  /** A connection made during a stall: read and drop whatever the client sends, answer nothing. */
  private void drain(Link link, Socket client) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = client.getInputStream()) {
        while (in.read(buffer) >= 0) {
          // swallowed
        }
      } catch (IOException e) {
        // client gave up
      }
      links.remove(link);
    }, "proxy-blackhole-" + port);
    t.setDaemon(true);
    t.start();
  }

  private static void resetQuietly(Socket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.setSoLinger(true, 0); // RST, not FIN
    } catch (SocketException e) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      if (closeable != null) {
        closeable.close();
      }
    } catch (Exception e) {
      // nothing to do
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeQuietly(listener);
    links.forEach(Link::reset);
  }
}
