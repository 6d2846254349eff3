package org.epost.peer.config;

import java.io.FileNotFoundException;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;

/** The content of epost.properties for the modules that read their own keys of it. */
public final class EpostProperties {
    private EpostProperties() {
    }

    /** epost.properties, empty when absent. */
    public static Configuration of(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return propertiesProvider.getConfiguration(EpostConfiguration.FILE_NAME);
        } catch (FileNotFoundException e) {
            return new BaseConfiguration();
        }
    }
}
