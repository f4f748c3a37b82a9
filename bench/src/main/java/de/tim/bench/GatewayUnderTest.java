package de.tim.bench;

import de.tim.embedded.app.OwnApplicationConfig;
import de.tim.embedded.mongo.EmbeddedMongoServer;
import de.tim.gateway.GatewayApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Starts one gateway (plain HTTP on the given port) in front of the given upstream, with an in-memory
 * MongoDB for its contact lists, for the gateway-vs-nginx benchmark ({@code bench/gateway-vs-nginx.sh}).
 *
 * <p>Usage: {@code java -jar bench-exec.jar <port> <upstream-uri>}
 */
public final class GatewayUnderTest {

    private GatewayUnderTest() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: GatewayUnderTest <port> <upstream-uri>");
            System.exit(2);
        }
        EmbeddedMongoServer mongo = EmbeddedMongoServer.inMemory();
        Runtime.getRuntime().addShutdownHook(new Thread(mongo::close));
        new SpringApplicationBuilder(GatewayApplication.class).run(
                OwnApplicationConfig.argument(GatewayApplication.class),
                "--server.port=" + args[0],
                "--server.address=127.0.0.1",
                "--tim.gateway.upstream.homeserver-uri=" + args[1],
                "--tim.gateway.upstream.proxy-secret=bench-secret",
                "--tim.gateway.routes.server-names=bench.tim.local",
                "--spring.data.mongodb.uri=" + mongo.connectionString(),
                "--logging.level.root=WARN");
    }
}
