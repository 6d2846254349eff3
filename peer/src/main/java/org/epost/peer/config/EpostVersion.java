package org.epost.peer.config;

/** The version of the ePOST jars, from the jar manifest written by the build. */
public final class EpostVersion {
    private EpostVersion() {
    }

    public static String current() {
        String version = EpostVersion.class.getPackage().getImplementationVersion();
        return version != null ? version : "development";
    }
}
