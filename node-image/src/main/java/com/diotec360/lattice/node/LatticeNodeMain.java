package com.diotec360.lattice.node;

import com.diotec360.lattice.node.config.InvalidConfigException;
import com.diotec360.lattice.node.config.NodeConfig;
import com.diotec360.lattice.node.config.NodeConfigLoader;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar lattice-node.jar}: validates the environment (exit 2 with one line per problem),
 * configures logging, starts the node, prints one ready line and stops cleanly on SIGTERM.
 */
public final class LatticeNodeMain {
    public static final int EXIT_BAD_CONFIG = 2;
    public static final int EXIT_START_FAILED = 1;

    private LatticeNodeMain() {
    }

    public static void main(String[] args) {
        NodeConfig config;
        try {
            config = NodeConfigLoader.load(System.getenv());
        } catch (InvalidConfigException e) {
            for (String problem : e.problems()) {
                System.err.println("lattice-node: invalid configuration: " + problem);
            }
            System.exit(EXIT_BAD_CONFIG);
            return;
        }
        // Must happen before the first logger is created.
        System.setProperty("lattice.log.level", config.logLevel());
        if (config.logFormat().equals("json") && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        LatticeNode node = new LatticeNode(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            node.start();
        } catch (Exception e) {
            System.err.println("lattice-node: cannot start: " + e);
            System.exit(EXIT_START_FAILED);
            return;
        }
        System.out.println("lattice-node ready node_name=" + config.nodeName() + " http_port=" + node.httpPort()
                + " p2p_port=" + node.p2pPort());
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
