package org.epost.peer.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.post.accounts.OrganizationUserAuthority;

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
 * Passwords are read from files (first line) so that they never appear in process listings.
 */
public final class EpostAdmin {
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration NODE_VALIDITY = Duration.ofDays(825);
    /** Certificates start a little in the past so that peers whose clocks lag still accept them. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private EpostAdmin() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: EpostAdmin ca-init|node-credentials|user-ca-init|recovery-key-init|recover-user|certify-user|revoke [options]; EpostAdmin COMMAND --help for its options");
            return 2;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (command) {
                case "ca-init":
                    return caInit(parse(command, caInitOptions(), rest, out), out);
                case "node-credentials":
                    return nodeCredentials(parse(command, nodeCredentialsOptions(), rest, out), out);
                case "user-ca-init":
                    return userCaInit(parse(command, userCaInitOptions(), rest, out), out);
                case "recovery-key-init":
                    return RecoveryCommands.recoveryKeyInit(parse(command, RecoveryCommands.initOptions(), rest, out),
                        out);
                case "recover-user":
                    return RecoveryCommands.recoverUser(parse(command, RecoveryCommands.recoverOptions(), rest, out),
                        out);
                case "certify-user":
                    return CertificationCommands.certifyUser(parse(command, CertificationCommands.options(), rest,
                        out), out);
                case "revoke":
                    return RevocationCommands.revoke(parse(command, RevocationCommands.options(), rest, out), out);
                default:
                    err.println("unknown command: " + command + " (ca-init, node-credentials, user-ca-init, recovery-key-init, recover-user, certify-user, revoke)");
                    return 2;
            }
        } catch (ParseException e) {
            err.println(command + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println(command + " failed: " + e.getMessage());
            return 1;
        } catch (HelpShown e) {
            return 0;
        }
    }

    private static Options caInitOptions() {
        return new Options()
            .addOption(required("dir", "directory for ca.p12 and ca.pem"))
            .addOption(required("organization", "the organization's name, written into every certificate"))
            .addOption(required("password-file", "file whose first line is the password of ca.p12"));
    }

    private static Options nodeCredentialsOptions() {
        return new Options()
            .addOption(required("ca", "directory of the organization authority (ca.p12)"))
            .addOption(required("ca-password-file", "file whose first line is the password of ca.p12"))
            .addOption(required("peer-name", "the peer's name (certificate subject)"))
            .addOption(required("out", "PKCS12 file to write (epost.properties overlay.credentials)"))
            .addOption(required("password-file", "file whose first line is the password of the new file"));
    }

    private static Options userCaInitOptions() {
        return new Options()
            .addOption(required("ca", "directory of the organization authority (ca.p12); user-ca.key and user-ca.pem go there too"))
            .addOption(required("ca-password-file", "file whose first line is the password of ca.p12"))
            .addOption(required("password-file", "file whose first line is the password of the new user-ca.key"));
    }

    /**
     * The organization's user CA: an Ed25519 key that certifies users (certificate blocks), endorsed by the
     * organization CA. Peers that add users hold user-ca.key (password-protected); every peer trusts user-ca.pem.
     */
    private static int userCaInit(CommandLine line, PrintStream out) throws IOException {
        Path directory = Path.of(line.getOptionValue("ca"));
        OrganizationUserAuthority.create(directory, password(line, "ca-password-file"), password(line, "password-file"));
        out.println("Created the user CA in " + directory.toAbsolutePath() + " (" + OrganizationUserAuthority.PUBLIC_FILE
            + " goes to every peer, in post.authority; " + OrganizationUserAuthority.KEY_FILE + " only to peers that certify"
            + " their users themselves, others ask: epost-admin certify-user)");
        return 0;
    }

    private static int caInit(CommandLine line, PrintStream out) throws IOException {
        Path directory = Path.of(line.getOptionValue("dir"));
        OrganizationAuthority authority = OrganizationAuthority.create(line.getOptionValue("organization"),
            Instant.now().minus(CLOCK_SKEW), CA_VALIDITY);
        authority.save(directory, password(line, "password-file"));
        out.println("Created the authority of " + line.getOptionValue("organization") + " in " + directory.toAbsolutePath()
            + " (copy " + OrganizationAuthority.CERTIFICATE_FILE + " to peers; keep " + OrganizationAuthority.KEYSTORE_FILE + " offline)");
        return 0;
    }

    private static int nodeCredentials(CommandLine line, PrintStream out) throws IOException {
        OrganizationAuthority authority = OrganizationAuthority.load(Path.of(line.getOptionValue("ca")), password(line, "ca-password-file"));
        NodeCredentials credentials = authority.issueNodeCredentials(line.getOptionValue("peer-name"),
            Instant.now().minus(CLOCK_SKEW), NODE_VALIDITY);
        Path file = Path.of(line.getOptionValue("out"));
        credentials.save(file, password(line, "password-file"));
        out.println("Wrote the overlay credentials of " + line.getOptionValue("peer-name") + " to " + file.toAbsolutePath()
            + "; node id " + credentials.nodeId().toHex());
        return 0;
    }

    static char[] password(CommandLine line, String option) throws IOException {
        Path file = Path.of(line.getOptionValue(option));
        String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
        if (first.isEmpty()) {
            throw new IOException(file + " holds no password");
        }
        return first.toCharArray();
    }

    static Option required(String name, String description) {
        return Option.builder().longOpt(name).hasArg().required().desc(description).build();
    }

    /** Thrown after printing help, to end with status 0. */
    private static final class HelpShown extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static CommandLine parse(String command, Options options, String[] args, PrintStream out) throws ParseException {
        if (Arrays.asList(args).contains("--help")) {
            new HelpFormatter().printHelp(new java.io.PrintWriter(out, true), 100, "EpostAdmin " + command, null, options, 2, 2, null, true);
            throw new HelpShown();
        }
        return new DefaultParser().parse(options, args);
    }
}
