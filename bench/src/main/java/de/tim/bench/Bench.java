package de.tim.bench;

import java.util.Arrays;

/** Entry point of the benchmark jar: {@code java -jar bench-exec.jar <gateway|homeserver|federation> [args]}. */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : new String[0];
        switch (args.length > 0 ? args[0] : "") {
            case "gateway" -> GatewayUnderTest.main(rest);
            case "homeserver" -> HomeserverBenchmark.main(rest);
            case "federation" -> FederationBenchmark.main(rest);
            default -> {
                System.err.println("usage: java -jar bench-exec.jar <gateway <port> <upstream-uri> | homeserver | federation>");
                System.exit(2);
            }
        }
    }
}
