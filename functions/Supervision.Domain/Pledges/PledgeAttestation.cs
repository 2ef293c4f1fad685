using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Reports;

namespace Supervision.Domain.Pledges;

/// <summary>
/// The contractor's statement that its staff on the work signed confidentiality pledges (4-1, 4-2: 誓約書・念書), as counts:
/// the principal audits the pledges themselves rather than collecting them. Staff stationed at the principal's own site, a
/// data centre for instance, sign the stricter form of 4-3.
/// </summary>
public sealed record PledgeAttestation(int StaffOnWork, int PledgesSigned, int StationedAtPrincipalSite, int StricterPledgesSigned, DateOnly AttestedOn);

public static class PledgeAttestationRules
{
    public const int MaxStaff = 100_000;

    public static ValidationErrors Validate(PledgeAttestation attestation, DateOnly contractStart, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var errors = new ValidationErrors();
        errors.Range("staffOnWork", attestation.StaffOnWork, 1, MaxStaff);
        errors.Range("pledgesSigned", attestation.PledgesSigned, 0, MaxStaff);
        errors.Range("stationedAtPrincipalSite", attestation.StationedAtPrincipalSite, 0, MaxStaff);
        errors.Range("stricterPledgesSigned", attestation.StricterPledgesSigned, 0, MaxStaff);
        if (errors.IsEmpty)
            ValidateCounts(attestation, errors);

        errors.NotInFuture("attestedOn", attestation.AttestedOn, today);
        if (attestation.AttestedOn < contractStart)
            errors.Add("attestedOn", $"must not be before the contract start ({contractStart:yyyy-MM-dd}).");
        return errors;
    }

    /// <summary>
    /// When the next attestation is due. The first is due within the reporting grace days of the contract start; after that
    /// each one is renewed with the periodic report of the period in which the last was made, so staff who joined since are
    /// covered.
    /// </summary>
    public static DateOnly NextDueOn(DateOnly contractStart, ReportFrequency frequency, DateOnly? lastAttestedOn, int graceDays = ReportSchedule.DefaultGraceDays)
    {
        if (lastAttestedOn is null)
            return ReportSchedule.Period(contractStart, frequency, 1, graceDays).Start.AddDays(graceDays);

        ReportPeriod period = ReportSchedule.PeriodContaining(contractStart, frequency, lastAttestedOn.Value, graceDays)
            ?? throw new ArgumentOutOfRangeException(nameof(lastAttestedOn), lastAttestedOn, "An attestation cannot precede the contract start.");
        return period.DueOn;
    }

    private static void ValidateCounts(PledgeAttestation attestation, ValidationErrors errors)
    {
        int staff = attestation.StaffOnWork;
        if (attestation.PledgesSigned < staff)
        {
            errors.Add(
                "pledgesSigned",
                $"{staff - attestation.PledgesSigned} of the {staff} staff on the work have not signed a confidentiality pledge: every member must sign before handling the data (4-1, 4-2).");
        }
        else if (attestation.PledgesSigned > staff)
        {
            errors.Add("pledgesSigned", $"must not exceed staffOnWork ({staff}): count one pledge per member now on the work.");
        }

        int stationed = attestation.StationedAtPrincipalSite;
        if (stationed > staff)
        {
            errors.Add("stationedAtPrincipalSite", $"must not exceed staffOnWork ({staff}).");
            return;
        }

        if (attestation.StricterPledgesSigned < stationed)
        {
            errors.Add(
                "stricterPledgesSigned",
                $"{stationed - attestation.StricterPledgesSigned} of the {stationed} staff stationed at the principal's site have not signed the stricter pledge: "
                + "not to touch personal information outside the work and not to disclose what they come to know (4-3).");
        }
        else if (attestation.StricterPledgesSigned > stationed)
        {
            errors.Add("stricterPledgesSigned", $"must not exceed stationedAtPrincipalSite ({stationed}).");
        }
    }
}
