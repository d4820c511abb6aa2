package cn.kameng.refunddesk.sandbox;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.Taken;
import cn.kameng.refunddesk.complaint.ChannelComplaints;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.order.OrderDirectory;

/**
 * Default profile only (operations and administrators, as the whole sandbox): a buyer's complaint at the simulated
 * WeChat Pay channel ({@link SandboxComplaintChannel}), taken in at once as a push would be, and what the channel
 * shows of it afterwards, our answers included.
 */
@RestController
@Profile("default")
@RequestMapping(path = "/api/v1/sandbox/channel-complaints", produces = MediaType.APPLICATION_JSON_VALUE)
class SandboxComplaintController {

    record ComplaintBody(@NotBlank @Size(max = 64) String orderId, @NotNull SandboxComplaintChannel.ProblemType problemType,
            @NotBlank @Size(max = 2000) String words, @Positive Long amountFen) {
    }

    /** The complaint at the channel, and what we made of it. */
    record Filed(SandboxComplaintChannel.Shown atChannel, String channelComplaintId, String complaintId,
            String disputeId) {
    }

    private final SandboxComplaintChannel channel;
    private final ChannelComplaints complaints;
    private final OrderDirectory orders;

    SandboxComplaintController(SandboxComplaintChannel channel, ChannelComplaints complaints, OrderDirectory orders) {
        this.channel = channel;
        this.complaints = complaints;
        this.orders = orders;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Filed> file(@Valid @RequestBody ComplaintBody body) {
        if (orders.find(body.orderId()).isEmpty()) {
            throw BadInput.field("orderId", "there is no sandbox order " + body.orderId()
                    + " (make one with POST /api/v1/sandbox/orders)");
        }
        var shown = channel.file(body.orderId(), body.problemType(), body.words(), body.amountFen());
        Taken taken = complaints.take(channel, shown.externalId());
        return ResponseEntity.created(URI.create("/api/v1/sandbox/channel-complaints/" + shown.externalId()))
                .body(new Filed(channel.show(shown.externalId()), taken.id(), taken.complaintId(), taken.disputeId()));
    }

    @GetMapping("/{externalId}")
    SandboxComplaintChannel.Shown show(@PathVariable String externalId) {
        return channel.show(externalId);
    }

    /** The buyer withdraws it at the channel; taken in again at once, as the channel's change notice would be. */
    @PostMapping("/{externalId}/withdrawal")
    Filed withdraw(@PathVariable String externalId) {
        channel.withdraw(externalId);
        Taken taken = complaints.take(channel, externalId);
        return new Filed(channel.show(externalId), taken.id(), taken.complaintId(), taken.disputeId());
    }
}
