package cn.kameng.refunddesk.restriction;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.security.CurrentCaller;

/** A customer's own account restrictions, and their contest. */
@RestController
@RequestMapping(path = "/api/v1/account-restrictions", produces = MediaType.APPLICATION_JSON_VALUE)
class RestrictionController {

    record ContestBody(@NotBlank @Size(max = 4000) String statement) {
    }

    private final Restrictions restrictions;
    private final CurrentCaller caller;

    RestrictionController(Restrictions restrictions, CurrentCaller caller) {
        this.restrictions = restrictions;
        this.caller = caller;
    }

    @GetMapping
    List<Restriction> mine() {
        return restrictions.of(caller.get());
    }

    @PostMapping(path = "/{id}/contest", consumes = MediaType.APPLICATION_JSON_VALUE)
    Restriction contest(@PathVariable long id, @Valid @RequestBody ContestBody body) {
        return restrictions.contest(caller.get(), id, body.statement());
    }
}
