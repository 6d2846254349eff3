package org.epost.it;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A legacy mail server for the migration tests: Debian's stock Dovecot 2.3 (dovecot-imapd, dovecot-lmtpd), started
 * by root with a configuration of its own in {@code dir} — IMAP and LMTP on loopback ports, users in a
 * {@code passwd-file} with {@code {PLAIN}} passwords, Maildir under {@code dir/mail}, the usual special-use folders
 * under the names Apple Mail and Outlook give them, and a master user ({@code user*admin}). Mail that ePOST relays to
 * a legacy user arrives through LMTP, the way Dovecot's own MTA would hand it over, and is then in the very store the
 * migration reads.
 */
final class LegacyDovecot implements AutoCloseable {
    static final String MASTER = "admin";

    private final Path dir;
    private final int imapPort;
    private final int lmtpPort;
    private final String masterPassword;
    private Process process;

    LegacyDovecot(Path dir, int imapPort, int lmtpPort, Map<String, String> users, String masterPassword)
            throws IOException {
        this.dir = dir;
        this.imapPort = imapPort;
        this.lmtpPort = lmtpPort;
        this.masterPassword = masterPassword;
        Files.createDirectories(dir.resolve("mail"));
        Files.createDirectories(dir.resolve("run"));
        // The mail processes run as the dovecot user, and the login processes refuse to run as root.
        for (Path path : List.of(dir, dir.resolve("mail"))) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Files.writeString(dir.resolve("passwd"), users.entrySet().stream()
            .map(user -> user.getKey() + ":{PLAIN}" + user.getValue() + "::::::")
            .collect(Collectors.joining("\n", "", "\n")));
        Files.writeString(dir.resolve("master-users"), MASTER + ":{PLAIN}" + masterPassword + "\n");
        Files.writeString(dir.resolve("dovecot.conf"), configuration());
    }

    private String configuration() {
        return """
            base_dir = %1$s/run
            state_dir = %1$s/state
            instance_name = epost-it-%2$d
            protocols = imap lmtp
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            auth_master_user_separator = *
            default_login_user = dovenull
            default_internal_user = dovecot
            mail_uid = dovecot
            mail_gid = dovecot
            first_valid_uid = 1
            mail_location = maildir:%1$s/mail/%%d/%%n
            log_path = %1$s/dovecot.log
            lmtp_save_to_detail_mailbox = no
            passdb {
              driver = passwd-file
              args = scheme=PLAIN %1$s/master-users
              master = yes
            }
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%%u %1$s/passwd
            }
            userdb {
              driver = passwd-file
              args = username_format=%%u %1$s/passwd
              default_fields = uid=dovecot gid=dovecot home=%1$s/mail/%%d/%%n
            }
            namespace inbox {
              inbox = yes
              separator = /
              mailbox "Sent Messages" {
                special_use = \\Sent
              }
              mailbox Drafts {
                special_use = \\Drafts
              }
              mailbox "Deleted Messages" {
                special_use = \\Trash
              }
              mailbox Junk {
                special_use = \\Junk
              }
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = %2$d
              }
              inet_listener imaps {
                port = 0
              }
            }
            service lmtp {
              inet_listener lmtp {
                address = 127.0.0.1
                port = %3$d
              }
            }
            """.formatted(dir.toAbsolutePath(), imapPort, lmtpPort);
    }

    /** Starts Dovecot in the foreground (so this process owns it) and waits until IMAP and LMTP answer. */
    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("/usr/sbin/dovecot", "-F", "-c", dir.resolve("dovecot.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("dovecot.out").toFile())
            .start();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!(answers(imapPort) && answers(lmtpPort))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Dovecot did not start: " + Files.readString(dir.resolve("dovecot.out"))
                    + (Files.exists(dir.resolve("dovecot.log")) ? Files.readString(dir.resolve("dovecot.log")) : ""));
            }
            Thread.sleep(100);
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int imapPort() {
        return imapPort;
    }

    int lmtpPort() {
        return lmtpPort;
    }

    String masterLogin(String user) {
        return user + "*" + MASTER;
    }

    String masterPassword() {
        return masterPassword;
    }

    /** The Maildir file of {@code user}'s INBOX message that contains {@code text} (Dovecot stores LF line ends). */
    Path messageFile(String user, String text) throws IOException {
        String[] parts = user.split("@");
        try (var files = Files.list(dir.resolve("mail").resolve(parts[1]).resolve(parts[0]).resolve("cur"))) {
            for (Path file : files.toList()) {
                if (Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text)) {
                    return file;
                }
            }
        }
        throw new IllegalStateException("no message of " + user + " contains " + text);
    }

    Path log() {
        return dir.resolve("dovecot.log");
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            process.onExit().get();
        }
    }
}
