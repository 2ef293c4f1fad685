using Supervision.Domain.Contracts;
using Supervision.Domain.Pledges;
using Supervision.Domain.Reports;

namespace Supervision.Domain.Tests.Pledges;

public sealed class PledgeAttestationTests
{
    private static readonly DateOnly ContractStart = new(2027, 4, 1);
    private static readonly DateOnly Today = new(2027, 5, 8);
    private static readonly PledgeAttestation Complete = new(StaffOnWork: 12, PledgesSigned: 12, StationedAtPrincipalSite: 3, StricterPledgesSigned: 3, AttestedOn: new DateOnly(2027, 5, 7));

    private static IReadOnlyDictionary<string, string[]> Errors(PledgeAttestation attestation) =>
        PledgeAttestationRules.Validate(attestation, ContractStart, Today).ToDictionary();

    private static string[] ErrorFields(PledgeAttestation attestation) => [.. Errors(attestation).Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Qa_4_2_EveryMemberSigned_IsValid()
    {
        Assert.Empty(ErrorFields(Complete));
        Assert.Empty(ErrorFields(Complete with { StationedAtPrincipalSite = 0, StricterPledgesSigned = 0 }));
    }

    [Fact]
    public void Qa_4_1_FewerPledgesThanStaff_IsRefused_NamingTheShortfall()
    {
        string message = Assert.Single(Errors(Complete with { PledgesSigned = 10 })["pledgesSigned"]);

        Assert.Contains("2 of the 12", message, StringComparison.Ordinal);
        Assert.Contains("4-1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_4_1_MorePledgesThanStaffOnTheWork_IsRefused()
    {
        Assert.Equal(["pledgesSigned"], ErrorFields(Complete with { PledgesSigned = 13 }));
    }

    [Fact]
    public void Qa_4_1_AttestationForNobody_IsRefused()
    {
        Assert.Equal(["staffOnWork"], ErrorFields(new PledgeAttestation(0, 0, 0, 0, Today)));
    }

    [Fact]
    public void Qa_4_3_StaffStationedAtThePrincipalsSite_MustEachSignTheStricterForm()
    {
        string message = Assert.Single(Errors(Complete with { StricterPledgesSigned = 1 })["stricterPledgesSigned"]);

        Assert.Contains("2 of the 3", message, StringComparison.Ordinal);
        Assert.Contains("outside the work", message, StringComparison.Ordinal);
        Assert.Contains("4-3", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_4_3_MoreStricterPledgesThanStationedStaff_IsRefused()
    {
        Assert.Equal(["stricterPledgesSigned"], ErrorFields(Complete with { StricterPledgesSigned = 4 }));
    }

    [Fact]
    public void Qa_4_3_MoreStationedThanOnTheWork_IsRefused_WithoutAlsoBlamingTheStricterCount()
    {
        Assert.Equal(["stationedAtPrincipalSite"], ErrorFields(Complete with { StationedAtPrincipalSite = 13, StricterPledgesSigned = 3 }));
    }

    [Fact]
    public void Qa_4_1_EveryMemberOnTheWork_IsAlsoStationed_IsValid()
    {
        Assert.Empty(ErrorFields(Complete with { StationedAtPrincipalSite = 12, StricterPledgesSigned = 12 }));
    }

    [Fact]
    public void NegativeOrHugeCounts_AreRangeErrors_Only()
    {
        Assert.Equal(
            ["pledgesSigned", "stationedAtPrincipalSite", "stricterPledgesSigned"],
            ErrorFields(Complete with { PledgesSigned = -1, StationedAtPrincipalSite = -1, StricterPledgesSigned = -1 }));
        Assert.Equal(["staffOnWork"], ErrorFields(Complete with { StaffOnWork = PledgeAttestationRules.MaxStaff + 1 }));
    }

    [Fact]
    public void AttestedOn_MayBeTodayOrTheContractStart_ButNotInTheFutureNorBeforeTheStart()
    {
        Assert.Empty(ErrorFields(Complete with { AttestedOn = Today }));
        Assert.Empty(ErrorFields(Complete with { AttestedOn = ContractStart }));
        Assert.Equal(["attestedOn"], ErrorFields(Complete with { AttestedOn = Today.AddDays(1) }));
        Assert.Equal(["attestedOn"], ErrorFields(Complete with { AttestedOn = ContractStart.AddDays(-1) }));
    }

    [Fact]
    public void Qa_4_2_FirstAttestation_IsDueWithinTheGraceDaysOfTheStart()
    {
        Assert.Equal(
            ContractStart.AddDays(ReportSchedule.DefaultGraceDays),
            PledgeAttestationRules.NextDueOn(ContractStart, ReportFrequency.Monthly, null));
    }

    [Fact]
    public void Qa_4_2_NextAttestation_IsDueWithTheReportOfThePeriodOfTheLastOne()
    {
        Assert.Equal(new DateOnly(2027, 5, 10), PledgeAttestationRules.NextDueOn(ContractStart, ReportFrequency.Monthly, new DateOnly(2027, 4, 5)));
        Assert.Equal(new DateOnly(2027, 6, 10), PledgeAttestationRules.NextDueOn(ContractStart, ReportFrequency.Monthly, new DateOnly(2027, 5, 7)));
        Assert.Equal(new DateOnly(2027, 7, 12), PledgeAttestationRules.NextDueOn(ContractStart, ReportFrequency.Quarterly, new DateOnly(2027, 4, 5))); // 07-10 is a Saturday
        Assert.Equal(new DateOnly(2027, 7, 20), PledgeAttestationRules.NextDueOn(ContractStart, ReportFrequency.Quarterly, new DateOnly(2027, 4, 5), graceDays: 20));
    }

    [Fact]
    public void NextAttestation_RefusesALastAttestationBeforeTheStart()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PledgeAttestationRules.NextDueOn(ContractStart, ReportFrequency.Monthly, ContractStart.AddDays(-1)));
    }
}
