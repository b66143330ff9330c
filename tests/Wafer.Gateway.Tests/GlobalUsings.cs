global using System.Text.Json;
global using Wafer.Gateway.Routes;
global using Wafer.Gateway.Tests.Support;
global using Xunit;
