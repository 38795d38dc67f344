"""The Modbus side of the simulator, on Debian's pymodbus 3.0 (python3-pymodbus): TCP server and RTU over a pty.

What: pymodbus frames, decodes and encodes every request and response (socket framer for TCP, RTU framer over a
pseudo-terminal pair); RequestPolicy answers them from the Device (read holding registers, write single/multiple
registers; other function codes: ILLEGAL FUNCTION) and applies the faults: exception ranges, timeouts (no answer),
slow answers, and dropping a TCP connection after n requests. Requests for another unit id get no answer.
Thread-safety: everything runs on one asyncio loop (the simulation steps on the same loop).
Errors: a request that cannot be served becomes a Modbus exception response; OS errors at start-up propagate.
"""

import asyncio
import logging
import os
import tty

from pymodbus.datastore import ModbusServerContext
from pymodbus.exceptions import NoSuchSlaveException
from pymodbus.framer.rtu_framer import ModbusRtuFramer
from pymodbus.pdu import ModbusExceptions
from pymodbus.register_read_message import ReadHoldingRegistersResponse
from pymodbus.register_write_message import WriteMultipleRegistersResponse, WriteSingleRegisterResponse
from pymodbus.server.async_io import (ModbusConnectedRequestHandler, ModbusSerialServer, ModbusSingleRequestHandler,
                                      ModbusTcpServer)

log = logging.getLogger("sunspec_sim")

MAX_READ = 125


class RequestPolicy:
    """Decides the answer to one decoded request (None = stay silent)."""

    def __init__(self, device, simulation, faults):
        self.device = device
        self.simulation = simulation
        self.faults = faults
        self.requests = 0

    def answer(self, request):
        self.requests += 1
        fc = request.function_code
        if fc == 3:
            address, count = request.address, request.count
            if self.faults.times_out(address, count):
                log.info("read %d+%d: timeout fault, no answer", address, count)
                return None
            if not 1 <= count <= MAX_READ:
                return request.doException(ModbusExceptions.IllegalValue)
            if self.faults.raises_exception(address, count) or not self.device.readable(address, count):
                log.debug("read %d+%d: ILLEGAL DATA ADDRESS", address, count)
                return request.doException(ModbusExceptions.IllegalAddress)
            return ReadHoldingRegistersResponse(self.device.image.get(address, count))
        if fc in (6, 16):
            address = request.address
            values = [request.value] if fc == 6 else list(request.values)
            if self.faults.times_out(address, len(values)):
                log.info("write %d+%d: timeout fault, no answer", address, len(values))
                return None
            code = self.device.check_write(address, values)
            if code is not None:
                log.info("write %d = %s refused (exception %d)", address, values, code)
                return request.doException(code)
            touched = self.device.write(address, values)
            log.info("write %d = %s (%s)", address, values,
                     ", ".join(f"{v.model_id}.{s.path}" for v, s in touched))
            self.simulation.on_write(touched)
            if fc == 6:
                return WriteSingleRegisterResponse(address, request.value)
            return WriteMultipleRegistersResponse(address, len(values))
        return request.doException(ModbusExceptions.IllegalFunction)


class _UnitContext(ModbusServerContext):
    """One unit id; anything else is "no such slave" (the handler then stays silent)."""

    def __init__(self, unit):
        super().__init__(slaves={unit: None}, single=False)
        self.unit = unit

    def __getitem__(self, unit):
        if unit != self.unit:
            raise NoSuchSlaveException(f"unit {unit}")
        return None


def _respond(handler, request, *addr):
    """Shared by the TCP and RTU handlers: answer through the policy, with the slow and drop-after faults."""
    server = handler.server
    if request.unit_id != server.context.unit:
        return
    response = server.policy.answer(request)
    handler.served = getattr(handler, "served", 0) + 1
    drop = server.should_drop(handler)
    if response is None:
        if drop:
            handler.transport.close()
        return
    response.transaction_id = request.transaction_id
    response.unit_id = request.unit_id

    def send():
        if handler.running:
            handler.send(response, *addr)
            if drop:
                log.info("drop-after fault: closing the connection after %d requests", handler.served)
                handler.transport.close()

    slow = server.policy.faults.slow_ms
    if slow:
        asyncio.get_running_loop().call_later(slow / 1000.0, send)
    else:
        send()


class _TcpHandler(ModbusConnectedRequestHandler):
    def execute(self, request, *addr):
        _respond(self, request, *addr)


class _RtuHandler(ModbusSingleRequestHandler):
    def execute(self, request, *addr):
        _respond(self, request, *addr)


class SimTcpServer(ModbusTcpServer):
    def __init__(self, policy, unit, host, port):
        super().__init__(_UnitContext(unit), address=(host, port), handler=_TcpHandler, allow_reuse_address=True,
                         ignore_missing_slaves=True)
        self.policy = policy
        self.dropped = False

    def should_drop(self, handler):
        n = self.policy.faults.drop_after
        if n is None or handler.served < n or (self.policy.faults.drop_once and self.dropped):
            return False
        if handler.served == n:
            self.dropped = True
            return True
        return False

    async def start(self):
        self.task = asyncio.create_task(self.serve_forever())
        await self.serving
        return self.server.sockets[0].getsockname()[1]

    async def stop(self):
        await self.server_close()
        self.task.cancel()


class _PtyTransport(asyncio.Transport):
    """The master side of a pty as the handler's transport."""

    class _Serial:
        def __init__(self, port):
            self.port = port

    def __init__(self, fd, path):
        super().__init__()
        self.fd = fd
        self.serial = self._Serial(path)

    def write(self, data):
        os.write(self.fd, data)

    def close(self):
        pass  # a serial line has no connection to drop

    def get_extra_info(self, name, default=None):
        return default


class SimPtyServer:
    """Modbus RTU on a fresh pseudo-terminal pair: clients open `path` (the slave side) like a serial port."""

    def __init__(self, policy, unit):
        self.policy = policy
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        tty.setraw(self.master)
        self.path = os.ttyname(self.slave)
        self.server = ModbusSerialServer(_UnitContext(unit), framer=ModbusRtuFramer, port=self.path,
                                         ignore_missing_slaves=True)
        self.server.policy = policy
        self.server.should_drop = lambda handler: False
        self.handler = None

    async def start(self):
        loop = asyncio.get_running_loop()
        self.handler = _RtuHandler(self.server)
        self.handler.connection_made(_PtyTransport(self.master, self.path))
        loop.add_reader(self.master, self._readable)
        return self.path

    def _readable(self):
        try:
            data = os.read(self.master, 4096)
        except OSError:  # EIO while no client has the slave side open
            return
        if data:
            self.handler.data_received(data)

    async def stop(self):
        asyncio.get_running_loop().remove_reader(self.master)
        if self.handler is not None and self.handler.handler_task is not None:
            self.handler.handler_task.cancel()
        os.close(self.master)
        os.close(self.slave)
