import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.services import user_create

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified user with an organization of their own, as after sign-up."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"clinician{n}@example.org")

    @classmethod
    def _create(cls, model_class, *args, email: str, **kwargs) -> User:
        user = user_create(email=email, password=PASSWORD)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user


class OrganizationFactory(factory.Factory):
    """An organization with its own owner."""

    class Meta:
        model = dict  # built through the service, which needs an owner

    owner = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, owner: User, **kwargs):
        return owner.memberships.get().organization
