package cn.kameng.refunddesk.evidence;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import cn.kameng.refunddesk.dispute.Party;

@Repository
public class EvidenceRecords {

    private static final RowMapper<Evidence> MAPPER = (rs, i) -> new Evidence(rs.getString("id"),
            rs.getString("dispute_id"), Party.valueOf(rs.getString("party")), rs.getString("uploaded_by"),
            EvidenceKind.valueOf(rs.getString("kind")), rs.getString("file_name"), rs.getString("content_type"),
            rs.getLong("size_bytes"), rs.getString("sha256"), rs.getTimestamp("uploaded_at").toInstant(),
            rs.getObject("captured_at", LocalDateTime.class),
            rs.getTimestamp("tampered_at") == null ? null : rs.getTimestamp("tampered_at").toInstant());

    private final JdbcClient jdbc;

    EvidenceRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Evidence e) {
        jdbc.sql("""
                insert into evidence (id, dispute_id, party, uploaded_by, kind, file_name, content_type, size_bytes,
                  sha256, uploaded_at, captured_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(e.id(), e.disputeId(), e.party().name(), e.uploadedBy(), e.kind().name(), e.fileName(),
                        e.contentType(), e.sizeBytes(), e.sha256(), Timestamp.from(e.uploadedAt()),
                        e.capturedAt() == null ? null : Timestamp.valueOf(e.capturedAt()))
                .update();
    }

    public List<Evidence> of(String disputeId) {
        return jdbc.sql("select * from evidence where dispute_id = ? order by uploaded_at, id").param(disputeId)
                .query(MAPPER).list();
    }

    public Optional<Evidence> find(String disputeId, String evidenceId) {
        return jdbc.sql("select * from evidence where dispute_id = ? and id = ?").params(disputeId, evidenceId)
                .query(MAPPER).optional();
    }

    /** What the parties brought (the platform's own attachments do not count against their limit). */
    int countByParties(String disputeId) {
        return jdbc.sql("select count(*) from evidence where dispute_id = ? and party <> ?")
                .params(disputeId, Party.PLATFORM.name()).query(Integer.class).single();
    }

    /** How many pieces of evidence {@code party} brought to the dispute. */
    public long countOf(String disputeId, Party party) {
        return jdbc.sql("select count(*) from evidence where dispute_id = ? and party = ?")
                .params(disputeId, party.name()).query(Long.class).single();
    }

    /** Marks a file whose bytes no longer match; the first detection is kept. */
    void markTampered(String evidenceId, Instant at) {
        jdbc.sql("update evidence set tampered_at = ? where id = ? and tampered_at is null")
                .params(Timestamp.from(at), evidenceId).update();
    }
}
