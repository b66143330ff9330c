global using System.Collections.Immutable;
global using System.Text.Json;
global using Wafer.ControlPlane.Fleet;
global using Wafer.ControlPlane.Scheduling;
global using Wafer.Protocol.V1;
global using Xunit;
