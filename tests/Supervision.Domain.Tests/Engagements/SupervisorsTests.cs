using Supervision.Domain.Common;
using Supervision.Domain.Engagements;

namespace Supervision.Domain.Tests.Engagements;

/// <summary>Who supervises an engagement (1-6): one name is one supervisor whatever its case, and "me" is never a name.</summary>
public sealed class SupervisorsTests
{
    private static OnboardingDraft Draft(string? supervisor) => new()
    {
        Contractor = new ContractorDraft { Name = "Acme" },
        Contact = new ContactDraft { Name = "Taro Yamada", Email = "taro@example.co.jp", PreferredLanguage = "ja" },
        Purpose = "Payroll processing",
        Datasets = [new DatasetDraft { Items = ["name"], RecordCount = 1, IsSensitive = false, LeakCausesSecondaryDamage = false }],
        PlannedStart = new DateOnly(2027, 4, 1),
        PlannedEnd = new DateOnly(2028, 3, 31),
        Supervisor = supervisor,
    };

    private static string[] Errors(string? name)
    {
        var errors = new ValidationErrors();
        Supervisors.Validate("supervisor", name, errors);
        return [.. errors.ToDictionary().Keys];
    }

    [Fact]
    public void Qa_1_6_TheSameUserInAnotherCase_IsTheSameSupervisor_SoAssigningThemAgainChangesNothing()
    {
        Assert.Equal(SupervisorChange.Assigned, Supervisors.Decide(null, "sato@example.co.jp"));
        Assert.Equal(SupervisorChange.Unchanged, Supervisors.Decide("sato@example.co.jp", "Sato@Example.co.jp"));
        Assert.Equal(SupervisorChange.Unchanged, Supervisors.Decide("sato@example.co.jp", " sato@example.co.jp "));
        Assert.Equal(SupervisorChange.Reassigned, Supervisors.Decide("sato@example.co.jp", "suzuki@example.co.jp"));
        Assert.Equal(Supervisors.Key("Sato@Example.co.jp"), Supervisors.Key("sato@example.co.jp"));
        Assert.NotEqual(Supervisors.Key("sato@example.co.jp"), Supervisors.Key("sato2@example.co.jp"));
    }

    [Fact]
    public void Qa_1_6_MeInTheFilter_IsTheCaller_AndAnyOtherValueIsTheNameAsGiven()
    {
        Assert.Equal("tanaka@example.co.jp", Supervisors.Filtered("me", "tanaka@example.co.jp"));
        Assert.Equal("tanaka@example.co.jp", Supervisors.Filtered("ME", "tanaka@example.co.jp"));
        Assert.Equal("sato@example.co.jp", Supervisors.Filtered(" sato@example.co.jp ", "tanaka@example.co.jp"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("me")]
    [InlineData("Me")]
    [InlineData("sato\n@example.co.jp")]
    [InlineData("sato\u0000")]
    public void ASupervisorsName_IsOneLineOfText_AndNeverTheReservedMe(string? name)
    {
        Assert.Equal(["supervisor"], Errors(name));
    }

    [Fact]
    public void ASupervisorsName_IsAtMost256Characters()
    {
        Assert.Empty(Errors(new string('a', Supervisors.MaxNameLength)));
        Assert.Equal(["supervisor"], Errors(new string('a', Supervisors.MaxNameLength + 1)));
        Assert.Empty(Errors("佐藤 花子"));
    }

    [Fact]
    public void Onboarding_MayNameTheSupervisor_TrimmedAsTheyAreStored_OrLeaveItOut()
    {
        Assert.True(OnboardingRules.Validate(Draft(" sato@example.co.jp "), out OnboardingRequest? named).IsEmpty);
        Assert.Equal("sato@example.co.jp", named!.Supervisor);
        Assert.True(OnboardingRules.Validate(Draft(null), out OnboardingRequest? unnamed).IsEmpty);
        Assert.Null(unnamed!.Supervisor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("me")]
    [InlineData("two\nlines")]
    public void Onboarding_RefusesASupervisorGivenButNotAName_NamingTheField(string supervisor)
    {
        ValidationErrors errors = OnboardingRules.Validate(Draft(supervisor), out OnboardingRequest? request);

        Assert.Null(request);
        Assert.Equal(["supervisor"], errors.ToDictionary().Keys);
    }
}
