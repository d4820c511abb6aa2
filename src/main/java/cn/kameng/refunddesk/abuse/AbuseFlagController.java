package cn.kameng.refunddesk.abuse;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.MediaType;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.security.CurrentCaller;

/** The operations list of abuse flags (operations and administrators only). */
@RestController
@Validated
@RequestMapping(path = "/api/v1/abuse-flags", produces = MediaType.APPLICATION_JSON_VALUE)
class AbuseFlagController {

    private final AbuseFlags flags;
    private final CurrentCaller caller;

    AbuseFlagController(AbuseFlags flags, CurrentCaller caller) {
        this.flags = flags;
        this.caller = caller;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Abuse flags raised since a moment, newest first (operations)",
            description = "since: an ISO-8601 instant (all flags when left out). A flag informs staff and never decides"
                    + " anything; the parties it concerns never see it.")
    @GetMapping
    AbuseFlags.FlagPage list(@RequestParam(required = false) String since,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return flags.since(caller.get(), since, page, size);
    }
}
