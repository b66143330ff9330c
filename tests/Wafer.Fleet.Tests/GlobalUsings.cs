global using System.Text.Json;
global using Wafer.Fleet.Tests.Support;
global using Xunit;
