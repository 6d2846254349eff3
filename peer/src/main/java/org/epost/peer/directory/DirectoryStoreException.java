package org.epost.peer.directory;

/** The peer's on-disk directory could not be read or written (disk full, I/O error, store closed). */
public class DirectoryStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DirectoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
