package org.epost.peer.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.epost.overlay.cli.CommandLines;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The organization admin's offline tool for what James's CLI cannot do: create the organization's authority once, and
 * issue each peer its overlay node credentials.
 *
 * <pre>
 *   EpostAdmin ca-init --dir DIR --organization NAME --password-file FILE
 *   EpostAdmin node-credentials --ca DIR --ca-password-file FILE --peer-name NAME --out FILE --password-file FILE
 *   EpostAdmin user-ca-init --ca DIR --ca-password-file FILE --password-file FILE
 *   EpostAdmin recovery-key-init --ca DIR --ca-password-file FILE --password-file FILE
 *   EpostAdmin recover-user --ca DIR --password-file FILE --request FILE --out FILE
 *   EpostAdmin certify-user --ca DIR --password-file FILE --request FILE --out FILE [--days N]
 *   EpostAdmin revoke --ca DIR --ca-password-file FILE --user-ca-password-file FILE [--node ID] [--user-key ID] ...
 * </pre>
 * Passwords are read from files (first line) so that they never appear in process listings. Exit status: 0 done,
 * 1 the command failed (its reason on stderr as {@code COMMAND failed: ...}), 2 the command line was wrong.
 */
@Command(name = "epost-admin", description = "The organization admin's offline tool (authority, credentials,"
    + " users, recovery, revocations). epost-admin COMMAND --help for a command's options.",
    subcommands = {AuthorityCommands.CaInit.class, AuthorityCommands.IssueNodeCredentials.class,
        AuthorityCommands.UserCaInit.class, RecoveryCommands.RecoveryKeyInit.class, RecoveryCommands.RecoverUser.class,
        CertificationCommands.class, RevocationCommands.class})
public final class EpostAdmin {
    private EpostAdmin() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line = CommandLines.of(new EpostAdmin());
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            if (!(e instanceof IOException)) {
                throw e;
            }
            command.getErr().println(command.getCommandName() + " failed: " + e.getMessage());
            return 1;
        });
        return CommandLines.execute(line, out, err, args);
    }

    /** The password in the first line of {@code file}. */
    static char[] password(Path file) throws IOException {
        String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
        if (first.isEmpty()) {
            throw new IOException(file + " holds no password");
        }
        return first.toCharArray();
    }
}
