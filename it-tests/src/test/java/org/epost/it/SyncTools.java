package org.epost.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Maildir sync tools of the tests, as their users run them: mbsync (isync) and offlineimap3, configured by
 * files written here, over STARTTLS to a peer's IMAP port (the peers refuse LOGIN before TLS). The peer's
 * self-signed certificate is trusted explicitly: mbsync by the certificate itself, offlineimap by its fingerprint.
 */
final class SyncTools {
    /** Bounds a hung tool so that the build fails instead of stalling; far above what a run needs. */
    static final Duration DEADLINE = Duration.ofMinutes(10);

    private SyncTools() {
    }

    /** The certificate the peer's IMAP server presents: the first entry of its keystore. */
    static Certificate peerCertificate(Path peerDirectory) throws IOException, GeneralSecurityException {
        String conf = Files.readString(peerDirectory.resolve("conf/imapserver.xml"));
        Matcher secret = Pattern.compile("<secret>([^<]*)</secret>").matcher(conf);
        if (!secret.find()) {
            throw new AssertionError("no keystore secret in the peer's imapserver.xml");
        }
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(peerDirectory.resolve("conf/keystore"))) {
            keystore.load(in, secret.group(1).toCharArray());
        }
        return keystore.getCertificate(keystore.aliases().nextElement());
    }

    static Path writePem(Certificate certificate, Path file) throws IOException, GeneralSecurityException {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded());
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
        return file;
    }

    static String sha512Fingerprint(Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(certificate.getEncoded()));
    }

    /**
     * An mbsync configuration with two channels on one IMAP user: {@code push} sends the Maildir {@code source}
     * to the server (creating folders on both sides: the server has default folders of its own), pipelining up to
     * 50 commands (APPENDs with LITERAL+ literals back to back); {@code pull} copies the server into the Maildir
     * {@code pulled}, pipelining as many FETCHes as mbsync likes (James 3.8.1 alone sometimes let a response's end
     * follow the next command's: mbsync's "IMAP error: unexpected tag )"; see {@code OrderedResponseWrites}).
     */
    static Path mbsyncConfig(Path directory, int imapPort, String user, String password, Path certificate,
                             Path source, Path pulled) throws IOException {
        String config = String.join("\n",
            account("pushing", imapPort, user, password, certificate, 50),
            account("pulling", imapPort, user, password, certificate, 50),
            "IMAPStore remote", "Account pushing", "",
            "IMAPStore remote-pull", "Account pulling", "",
            "MaildirStore source", "Path " + source + "/", "Inbox " + source.resolve("INBOX"), "SubFolders Verbatim", "",
            "MaildirStore pulled", "Path " + pulled + "/", "Inbox " + pulled.resolve("INBOX"), "SubFolders Verbatim", "",
            "Channel push", "Far :remote:", "Near :source:", "Patterns *", "Create Both", "Sync Push",
            "SyncState " + directory.resolve("state/push-"), "",
            "Channel pull", "Far :remote-pull:", "Near :pulled:", "Patterns *", "Create Near", "Sync Pull",
            "SyncState " + directory.resolve("state/pull-"), "");
        Files.createDirectories(directory.resolve("state"));
        Files.createDirectories(pulled);   // mbsync creates the folders of a Maildir store, not the store itself
        return Files.writeString(directory.resolve("mbsyncrc"), config);
    }

    private static String account(String name, int imapPort, String user, String password, Path certificate, int pipelineDepth) {
        return String.join("\n", "IMAPAccount " + name, "Host 127.0.0.1", "Port " + imapPort, "User " + user,
            "Pass " + password, "SSLType STARTTLS", "CertificateFile " + certificate, "PipelineDepth " + pipelineDepth, "");
    }

    static Command.Result mbsync(Path config, String... channels) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mbsync", "--verbose", "-c", config.toString()));
        command.addAll(List.of(channels));
        return Command.run(config.getParent(), DEADLINE, command).assertSuccess("mbsync " + String.join(" ", channels));
    }

    /**
     * An offlineimap configuration of one account {@code name} that syncs the Maildir {@code maildir} with the
     * server both ways (offlineimap has no one-way mode by default): run on a full Maildir it pushes, run with a
     * new metadata folder and an empty Maildir it pulls.
     */
    static Path offlineimapConfig(Path directory, String name, int imapPort, String user, String password,
                                  String fingerprint, Path maildir) throws IOException {
        String config = String.join("\n",
            "[general]", "accounts = " + name, "metadata = " + directory.resolve("metadata-" + name), "ui = basic", "",
            "[Account " + name + "]", "localrepository = " + name + "-local", "remoterepository = " + name + "-remote", "",
            "[Repository " + name + "-local]", "type = Maildir", "localfolders = " + maildir, "sep = /", "",
            "[Repository " + name + "-remote]", "type = IMAP", "remotehost = 127.0.0.1", "remoteport = " + imapPort,
            "remoteuser = " + user, "remotepass = " + password, "ssl = no", "starttls = yes",
            "cert_fingerprint = " + fingerprint, "");
        return Files.writeString(directory.resolve("offlineimaprc-" + name), config);
    }

    static Command.Result offlineimap(Path config) throws IOException, InterruptedException {
        // -o: one run; -u basic: one line per action (what a second run must not print).
        return Command.run(config.getParent(), DEADLINE, List.of("offlineimap", "-o", "-u", "basic", "-c", config.toString()))
            .assertSuccess("offlineimap " + config.getFileName());
    }

    /** maildir_sync.py (make, compare, snapshot): the Maildirs of the tests and their comparison. */
    static Command.Result maildirs(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", Clients.script("maildir_sync.py").toString()));
        command.addAll(List.of(arguments));
        return Command.run(Path.of("."), DEADLINE, command);
    }
}
