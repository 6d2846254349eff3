package org.epost.post.message;

/** Bytes that are not the canonical encoding of a {@link MessageSkeleton}. */
public final class MalformedSkeletonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedSkeletonException(String message) {
        super("malformed message skeleton: " + message);
    }
}
