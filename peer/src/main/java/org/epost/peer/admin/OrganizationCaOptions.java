package org.epost.peer.admin;

import java.io.IOException;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --ca DIR --ca-password-file FILE}: the organization authority's directory and the password of its CA key, as
 * every command that signs with that key (or adds a key next to it) takes them; a picocli mixin.
 */
final class OrganizationCaOptions {
    @Option(names = "--ca", paramLabel = "DIR", required = true, description = "directory of the organization"
        + " authority (ca.p12, ca.pem); the keys the admin creates next to it go there too")
    private Path directory;

    @Option(names = "--ca-password-file", paramLabel = "FILE", required = true,
        description = "file whose first line is the password of ca.p12")
    private Path passwordFile;

    Path directory() {
        return directory;
    }

    /** The password of ca.p12, from its file. */
    char[] password() throws IOException {
        return EpostAdmin.password(passwordFile);
    }
}
