package org.epost.peer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code epost-admin} as a test runs it: its output and errors kept, and the organization authority it starts from. */
final class AdminConsole {
    static final String CA_SECRET = "ca-secret";
    static final String USER_CA_SECRET = "user-ca-secret";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return EpostAdmin.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * {@code ca-init} and {@code user-ca-init} in {@code directory}/ca, with their passwords in ca.password and
     * user-ca.password ({@value #CA_SECRET}, {@value #USER_CA_SECRET}); answers the authority directory.
     */
    Path initAuthority(Path directory) throws IOException {
        Path caPassword = Files.writeString(directory.resolve("ca.password"), CA_SECRET + "\n");
        Path userCaPassword = Files.writeString(directory.resolve("user-ca.password"), USER_CA_SECRET + "\n");
        Path ca = directory.resolve("ca");
        assertThat(run("ca-init", "--dir", ca.toString(), "--organization", "Example Org", "--password-file",
            caPassword.toString())).as(err()).isZero();
        assertThat(run("user-ca-init", "--ca", ca.toString(), "--ca-password-file", caPassword.toString(),
            "--password-file", userCaPassword.toString())).as(err()).isZero();
        return ca;
    }
}
