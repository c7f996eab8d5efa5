"""Signing test clients in as the audiences of the access matrix.

`sign_in(client, user)` logs the user in and, for staff, officials and focal points, also passes the second
factor (a confirmed TOTP device marked verified in the session), as the real sign-in does. Use
`sign_in(client, user, second_factor=False)` to test what such a user sees before the second step.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access import policy


def sign_in(client, user, *, second_factor: bool = True):
    if user is None:
        client.logout()
        return client
    client.force_login(user)
    if second_factor and policy.needs_second_factor(user):
        device = confirmed_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def totp_now(device: TOTPDevice) -> str:
    """The code an authenticator app shows right now for `device`."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def request_access_url(item) -> str:
    from portal.access.views import request_access_url as url

    return url(item)
