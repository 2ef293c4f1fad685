using Supervision.Domain.Staff;

namespace Supervision.Domain.Tests.Staff;

public sealed class StaffRolesTests
{
    [Theory]
    [InlineData("supervisor", StaffRole.Supervisor)]
    [InlineData(" Procurement ", StaffRole.Procurement)]
    [InlineData("AUDITOR", StaffRole.Auditor)]
    public void ARoleName_IsARole_WhateverItsCase(string value, StaffRole expected)
    {
        Assert.True(StaffRoles.TryParse(value, out StaffRole role));
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("supervisor,auditor")]
    [InlineData("")]
    [InlineData(null)]
    public void ANumberOrAnythingElse_IsNoRole(string? value)
    {
        Assert.False(StaffRoles.TryParse(value, out _));
    }
}
