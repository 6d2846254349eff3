package org.epost.peer.webadmin;

import java.time.Instant;

import org.apache.james.json.DTOModule;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;
import org.epost.interop.migration.MigrationDetails;
import org.epost.interop.migration.MigrationTask;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * How {@code GET /tasks/{id}} shows a migration's {@link MigrationDetails} in {@code additionalInformation}: its fields
 * flat, beside James's {@code type} and {@code timestamp}. Display only: James's memory task manager never reads
 * task details back, so there is no way from JSON to details.
 */
public final class MigrationDetailsDTO implements AdditionalInformationDTO {
    public static final AdditionalInformationDTOModule<MigrationDetails, MigrationDetailsDTO> MODULE =
        DTOModule.forDomainObject(MigrationDetails.class)
            .convertToDTO(MigrationDetailsDTO.class)
            .toDomainObjectConverter(dto -> dto.details)
            .toDTOConverter((details, type) -> new MigrationDetailsDTO(type, details))
            .typeName(MigrationTask.TYPE.asString())
            .withFactory(AdditionalInformationDTOModule::new);

    private final String type;
    private final MigrationDetails details;

    MigrationDetailsDTO(String type, MigrationDetails details) {
        this.type = type;
        this.details = details;
    }

    @Override
    public String getType() {
        return type;
    }

    @JsonIgnore
    @Override
    public Instant getTimestamp() {
        return details.timestamp();
    }

    @JsonUnwrapped
    public MigrationDetails getDetails() {
        return details;
    }
}
