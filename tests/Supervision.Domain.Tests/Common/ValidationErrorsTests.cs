using Supervision.Domain.Common;

namespace Supervision.Domain.Tests.Common;

public sealed class ValidationErrorsTests
{
    [Fact]
    public void IsEmpty_IsTrue_WhenNothingWasAdded()
    {
        var errors = new ValidationErrors();

        Assert.True(errors.IsEmpty);
        Assert.Empty(errors.ToDictionary());
    }

    [Fact]
    public void Add_AccumulatesMessages_WhenOneFieldHasSeveralProblems()
    {
        var errors = new ValidationErrors();

        errors.Add("contact.email", "first");
        errors.Add("contact.email", "second");

        Assert.False(errors.IsEmpty);
        KeyValuePair<string, string[]> entry = Assert.Single(errors.ToDictionary());
        Assert.Equal("contact.email", entry.Key);
        Assert.Equal(["first", "second"], entry.Value);
    }

    [Fact]
    public void Add_KeepsFieldsApart_WhenSeveralFieldsHaveProblems()
    {
        var errors = new ValidationErrors();

        errors.Add("purpose", "p");
        errors.Add("datasets[0].recordCount", "r");

        IReadOnlyDictionary<string, string[]> result = errors.ToDictionary();
        Assert.Equal(2, result.Count);
        Assert.Equal(["p"], result["purpose"]);
        Assert.Equal(["r"], result["datasets[0].recordCount"]);
    }

    [Fact]
    public void Add_TreatsFieldNamesCaseSensitively()
    {
        var errors = new ValidationErrors();

        errors.Add("name", "lower");
        errors.Add("Name", "upper");

        IReadOnlyDictionary<string, string[]> result = errors.ToDictionary();
        Assert.Equal(2, result.Count);
        Assert.Equal(["lower"], result["name"]);
        Assert.Equal(["upper"], result["Name"]);
    }

    [Fact]
    public void ToDictionary_IsASnapshot_WhenMessagesAreAddedLater()
    {
        var errors = new ValidationErrors();
        errors.Add("purpose", "first");

        IReadOnlyDictionary<string, string[]> before = errors.ToDictionary();
        errors.Add("purpose", "second");
        errors.Add("plannedEnd", "third");

        Assert.Equal(["first"], Assert.Single(before).Value);
        Assert.Equal(["first", "second"], errors.ToDictionary()["purpose"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\r\n")]
    [InlineData("\u3000")] // ideographic (full-width) space
    public void Required_AddsAnError_WhenValueIsMissingOrBlank(string? value)
    {
        var errors = new ValidationErrors();

        errors.Required("purpose", value, 10);

        string message = Assert.Single(Assert.Single(errors.ToDictionary(), pair => pair.Key == "purpose").Value);
        Assert.Contains("required", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("abcdefghij")] // exactly the maximum
    public void Required_AddsNothing_WhenValueIsPresentAndWithinMaxLength(string value)
    {
        var errors = new ValidationErrors();

        errors.Required("purpose", value, 10);

        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Required_AddsAnErrorNamingTheMaximum_WhenValueIsOneCharacterTooLong()
    {
        var errors = new ValidationErrors();

        errors.Required("purpose", new string('x', 11), 10);

        string message = Assert.Single(Assert.Single(errors.ToDictionary(), pair => pair.Key == "purpose").Value);
        Assert.Contains("10", message, StringComparison.Ordinal);
        Assert.DoesNotContain("required", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_AccumulatesWithEarlierMessages_ForTheSameField()
    {
        var errors = new ValidationErrors();
        errors.Add("purpose", "earlier");

        errors.Required("purpose", null, 10);

        string[] messages = errors.ToDictionary()["purpose"];
        Assert.Equal(2, messages.Length);
        Assert.Equal("earlier", messages[0]);
    }

    [Fact]
    public void Range_AcceptsBothBounds_AndNamesThemWhenOutside()
    {
        var errors = new ValidationErrors();

        errors.Range("a", 1, 1, 10);
        errors.Range("b", 10, 1, 10);
        errors.Range("c", 0, 1, 10);

        Assert.Equal(["must be between 1 and 10."], Assert.Single(errors.ToDictionary(), pair => pair.Key == "c").Value);
        Assert.Single(errors.ToDictionary());
    }

    [Fact]
    public void NotInFuture_AcceptsToday_AndRefusesTomorrow()
    {
        var today = new DateOnly(2027, 1, 31);
        var errors = new ValidationErrors();

        errors.NotInFuture("heldOn", today, today);
        Assert.True(errors.IsEmpty);

        errors.NotInFuture("heldOn", today.AddDays(1), today);
        Assert.Equal(["must not be in the future (today is 2027-01-31)."], errors.ToDictionary()["heldOn"]);
    }

    [Theory]
    [InlineData("Sample\r\nBcc: all@example.jp")]
    [InlineData("Sample\nPrinting")]
    [InlineData("Sample\0")]
    [InlineData("Sample\tPrinting")]
    public void RequiredLine_RefusesAnyControlCharacter_SoNoneReachesAMailHeaderOrAnExport(string value)
    {
        var errors = new ValidationErrors();

        errors.RequiredLine("contractor.name", value, 200);

        Assert.Equal(["must be one line, without control characters (line breaks, tabs, NUL)."], errors.ToDictionary()["contractor.name"]);
    }

    [Fact]
    public void Required_KeepsLineBreaksAndTabsInAText_ButRefusesNul()
    {
        var errors = new ValidationErrors();

        errors.Required("note", "First line\r\n\tsecond line", 2000);
        Assert.True(errors.IsEmpty);

        errors.Required("note", "Hidden\0part", 2000);
        Assert.Equal(["must not contain control characters other than line breaks and tabs."], errors.ToDictionary()["note"]);
    }
}
